"""Django admin for people: administrators assign roles (trainer, provincial staff, editor) here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Consent, User
from .scoping import visible


class ConsentInline(admin.TabularInline):
    model = Consent
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = ["purpose", "text_version", "method", "given_at", "withdrawn_at", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["full_name", "phone", "email", "commune", "created_via", "is_staff"]
    list_filter = ["created_via", "is_staff", "is_superuser", "groups", "staff_province"]
    search_fields = ["full_name", "phone", "email", "username"]
    ordering = ["full_name"]
    autocomplete_fields = ["commune", "trainer_communes", "staff_province"]
    inlines = [ConsentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal data"), {"fields": [
            "full_name", "phone", "phone_verified", "email", "year_of_birth", "gender",
            "commune", "created_via",
        ]}),
        (_("Roles"), {
            "fields": ["trainer_communes", "staff_province", "groups"],
            "description": _(
                "Trainer: choose the communes they train. Provincial staff: choose the province. "
                "Editor: add to the Editors group (and tick Staff status for the Wagtail admin)."
            ),
        }),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": [
            "username", "full_name", "phone", "email", "password1", "password2",
        ]}),
    ]

    def get_queryset(self, request):
        # Someone other than a superuser given this admin still sees only the people in their area.
        return visible(super().get_queryset(request), request.user)
