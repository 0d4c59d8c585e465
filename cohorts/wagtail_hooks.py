"""The cohorts in Wagtail's admin, by declaration: for administrators (model permissions, which no group has by
default); trainers and staff use their own pages at /trainer/, which are scoped by accounts.scoping."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .models import Cohort

register_permission_policy(Cohort)


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["name", "commune", "starts_on", "ends_on", "archived_at", "created_at"]
    list_filter = ["commune__province", "archived_at"]
    list_export = ["name", "commune", "starts_on", "ends_on", "place", "schedule", "archived_at", "created_at"]
    search_fields = ["name", "place"]
    form_fields = ["name", "commune", "starts_on", "ends_on", "place", "schedule", "trainers"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return CohortViewSet("cohorts_admin")
