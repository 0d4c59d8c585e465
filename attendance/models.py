"""Class sessions of a cohort and who attended them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassSession(models.Model):
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="sessions",
                               verbose_name=_("cohort"))
    commune_path = "cohort__commune"  # accounts/scoping.py
    member_path = "cohort__memberships__learner"
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    lesson_key = models.UUIDField(_("lesson"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["date", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Via(models.TextChoices):
        TRAINER = "trainer", _("Marked by the trainer")
        CHECK_IN = "check_in", _("Checked in with the class QR code")

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="marks")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PRESENT)
    via = models.CharField(_("how"), max_length=10, choices=Via.choices, default=Via.TRAINER)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("marked by"))
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "learner"], name="one_mark_per_session")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.session} · {self.status}"
