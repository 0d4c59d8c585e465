"""Django admin for the official place list; names and codes come from `load_places`."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Commune, Province
from .text import search_key

OFFICIAL_FIELDS = ("code", "name", "codename", "division_type")


class DiacriticInsensitiveSearch:
    """Searches `search_name`-style fields with the diacritic-free key of the search term,
    so "ha long" and "Hạ Long" both find "Phường Hạ Long" (also in autocomplete_fields)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "division_type", "commune_count")
    list_filter = ("division_type",)
    search_fields = ("name", "=code", "codename")
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commune_count=Count("communes"))

    @admin.display(description=_("communes"), ordering="commune_count")
    def commune_count(self, obj):
        return obj.commune_count

    def get_readonly_fields(self, request, obj=None):
        return OFFICIAL_FIELDS if obj else ()


@admin.register(Commune)
class CommuneAdmin(DiacriticInsensitiveSearch, admin.ModelAdmin):
    list_display = ("name", "code", "division_type", "province", "target_population")
    list_editable = ("target_population",)
    list_filter = ("province", "division_type")
    list_select_related = ("province",)
    search_fields = ("search_name", "^code")
    ordering = ("province__name", "name")
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        return (*OFFICIAL_FIELDS, "province") if obj else ()
