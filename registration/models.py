"""What registering a resident in person adds: a guardian for a minor, and a login card for a shared device."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.phone import PhoneNumberField


class Guardian(models.Model):
    """The parent or guardian who consented for a resident under 16."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian",
                                   verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    full_name = models.CharField(_("guardian's full name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=50)
    phone = PhoneNumberField(_("guardian's phone number"), max_length=16, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return self.full_name


class LoginCard(models.Model):
    """A printed card that signs a person in for learning on a shared device: a public key to find the card and
    a secret stored hashed like a password. Reissuing revokes the previous card."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_cards",
                                verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    key = models.CharField(_("card number"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login card")
        verbose_name_plural = _("login cards")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.key
