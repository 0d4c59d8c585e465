"""Certificates of completion, their serial numbers, background re-render jobs and the issuer's settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .storage import certificate_storage


class CertificateSequence(models.Model):
    """The last serial number used for one prefix and year; its row is locked while a number is taken."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Certificate(models.Model):
    """A certificate of completion. What it says is frozen at issue; only revocation changes it."""

    serial = models.CharField(_("serial number"), max_length=24, unique=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    # Deleting an account deletes its certificates: no personal data outlives the person's wish.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates",
                                verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    course_key = models.UUIDField(_("course"), db_index=True)
    course_title = models.CharField(_("course title"), max_length=255)
    full_name = models.CharField(_("full name"), max_length=150)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    province_name = models.CharField(_("province"), max_length=100, blank=True)
    issuer_name = models.CharField(_("issuing body"), max_length=200)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    completed_at = models.DateTimeField(_("completed at"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), storage=certificate_storage, max_length=200, blank=True)
    render_requested_at = models.DateTimeField(_("rendering requested at"), null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["learner", "course_key"], name="one_certificate_per_course")]
        indexes = [models.Index(fields=["pdf_rendered_at", "render_requested_at"], name="cert_pdf_pending")]

    def __str__(self) -> str:
        return f"{self.serial} · {self.full_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf) and self.pdf_rendered_at is not None

    def pdf_name(self) -> str:
        """The file's one deterministic name: re-rendering overwrites it, never adds a second file."""
        year = self.serial.rsplit("-", 2)[1]  # the serial's year (local time), not issued_at's UTC year
        return f"{year}/{self.serial}.pdf"


class RenderJob(models.Model):
    """Staff asked to re-render a course's certificates in their scope; the task counts its progress here."""

    course_key = models.UUIDField(_("course"))
    course_title = models.CharField(_("course title"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    # A staff member's job: only they (and superusers) see it, and it re-renders only what they may see.
    owner_path = "requested_by"
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("re-render job")
        verbose_name_plural = _("re-render jobs")

    def __str__(self) -> str:
        return f"{self.course_title} · {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """Who issues certificates and signs them; editable because names and offices change."""

    issuer_name = models.CharField(_("issuing body"), max_length=200,
                                   default="Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True, default="")
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True, default="Giám đốc")
    place_name = models.CharField(_("place of signing"), max_length=100, blank=True, default="Quảng Ninh",
                                  help_text=_("Printed before the date, e.g. “Quảng Ninh, ngày 1 tháng 7 năm 2026”."))
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("logo"),
                             help_text=_("Optional. An SVG or a small JPEG/PNG keeps PDFs small and fast."))
    signature = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("signature image"),
                                  help_text=_("Optional. A scanned signature, ideally with a transparent background."))

    panels = [FieldPanel("issuer_name"), FieldPanel("signer_name"), FieldPanel("signer_title"),
              FieldPanel("place_name"), FieldPanel("logo"), FieldPanel("signature")]

    class Meta:
        verbose_name = _("certificate settings")
