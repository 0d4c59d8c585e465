"""Wagtail admin for the competence frameworks (editable data, not hard-coded lists)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CompetenceDomain, DigitalSkill


class CompetenceDomainViewSet(SnippetViewSet):
    model = CompetenceDomain
    icon = "tag"
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


class DigitalSkillViewSet(SnippetViewSet):
    model = DigitalSkill
    icon = "tag"
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


class CompetenceViewSetGroup(SnippetViewSetGroup):
    items = (CompetenceDomainViewSet, DigitalSkillViewSet)
    menu_icon = "tag"
    menu_label = _("Competences")
    menu_name = "competences"


register_snippet(CompetenceViewSetGroup)
