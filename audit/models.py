"""The audit log: what staff and trainers did with people's data (exports, messages, registrations)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    owner_path = "actor"  # accounts/scoping.py: a person reads the entries of their own actions
    action = models.CharField(_("action"), max_length=50, db_index=True)
    subject = models.CharField(_("about"), max_length=200, blank=True,
                               help_text=_("What the action was about, e.g. “cohort 12”."))
    commune = models.ForeignKey("places.Commune", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("commune"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.action} · {self.subject}"
