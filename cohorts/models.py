"""Cohorts (lớp học): a class a trainer runs in one commune, the courses it follows, its members, its messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="cohorts",
                                verbose_name=_("commune"))
    commune_path = "commune"  # accounts/scoping.py: the trainers and staff of this commune read it
    member_path = "memberships__learner"  # … and so do its members
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("meeting place"), max_length=200, blank=True)
    schedule = models.CharField(_("schedule"), max_length=300, blank=True,
                                help_text=_("For example: Tuesday and Thursday mornings, 8:00–9:30."))
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="cohorts_trained",
                                      verbose_name=_("trainers"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class CohortCourse(models.Model):
    """A course the cohort follows, by the course's translation key (the same in every language)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="courses")
    commune_path = "cohort__commune"
    course_key = models.UUIDField(_("course"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "course_key"], name="one_row_per_cohort_course")]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.course_key}"


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="cohort_memberships", verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [models.UniqueConstraint(fields=["cohort", "learner"], name="one_membership_per_cohort")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.cohort}"


class CohortMessage(models.Model):
    """A message sent to a cohort's members by SMS; the text is kept as the record of what was sent."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="messages")
    commune_path = "cohort__commune"
    text = models.CharField(_("message"), max_length=320)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("sent to"), default=0)
    skipped = models.PositiveIntegerField(_("not sent (no consent or no phone)"), default=0)

    class Meta:
        verbose_name = _("cohort message")
        verbose_name_plural = _("cohort messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]
