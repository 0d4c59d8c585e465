"""Targets, programmes, and the summary rows the rollup keeps (statistics are read from these only)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """A commune's target for a year. Never edited: a change is a new row, the latest one counts."""

    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="targets",
                                verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(
        _("target population"), help_text=_("Adults in scope, from the statistics office."))
    rate = models.DecimalField(_("target rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    head_count = models.PositiveIntegerField(_("target head-count"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["commune", "year", "-changed_at"], name="target_current")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__isnull=True) | models.Q(rate__lte=100),
                                   name="target_rate_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.year} · {self.population}"

    @property
    def goal(self) -> int | None:
        """How many people the target asks for: the head-count, else the rate of the population."""
        if self.head_count is not None:
            return self.head_count
        if self.rate is not None:
            return round(self.population * self.rate / 100)
        return None


class Programme(models.Model):
    """The courses that together mean "basic digital skills achieved" (e.g. Decision 757's, for residents)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    course_keys = models.JSONField(_("courses"), default=list,
                                   help_text=_("The courses (translation keys) a learner completes to achieve it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Breakdown(models.Model):
    """The dimensions every learner-level figure is broken down by.

    Summary rows and activity days keep a commune without a database constraint: millions of rows are written
    by INSERT … SELECT from rows whose communes exist (and are protected by their residents), and a check per
    row would cost a third of a full recompute.
    """

    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    day = models.DateField()
    gender = models.CharField(max_length=10, blank=True)
    age_band = models.CharField(max_length=10, blank=True)  # a key of settings.STATS_AGE_BANDS, "" unknown
    created_via = models.CharField(max_length=10, blank=True)
    # Rows the rollup recomputes from raw rows are live; an erased account's contribution is moved into
    # erased rows, which are only ever added to: the counts outlive the person.
    erased = models.BooleanField(default=False, db_default=False)

    class Meta:
        abstract = True


class CommuneDay(Breakdown):
    """Learners who reached each stage that day (flows). A figure "as of" a day is the sum up to that day."""

    registered = models.IntegerField(default=0, db_default=0)
    enrolled_any = models.IntegerField(default=0, db_default=0)
    completed_any = models.IntegerField(default=0, db_default=0)
    certified = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "commune", "gender", "age_band", "created_via", "erased"], name="one_commune_day")]
        indexes = [models.Index(fields=["commune", "day"], name="communeday_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.day}"


class CommuneProgrammeDay(Breakdown):
    """Learners who achieved the programme that day."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    achieved = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "programme", "commune", "gender", "age_band", "created_via", "erased"],
            name="one_commune_programme_day")]
        indexes = [models.Index(fields=["commune", "day"], name="communeprogday_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.programme_id} · {self.day}"


class CommuneCourseDay(models.Model):
    """Per course, by the commune at enrolment: what happened that day."""

    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    course_key = models.UUIDField()
    day = models.DateField()
    erased = models.BooleanField(default=False, db_default=False)
    enrolled = models.IntegerField(default=0, db_default=0)
    completed = models.IntegerField(default=0, db_default=0)
    certified = models.IntegerField(default=0, db_default=0)
    quiz_attempts = models.IntegerField(default=0, db_default=0)
    quiz_passes = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "commune", "course_key", "erased"],
                                               name="one_commune_course_day")]
        indexes = [models.Index(fields=["commune", "day"], name="communecourseday_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.course_key} · {self.day}"


class CommuneActivityDay(models.Model):
    """Changes of the number of learners active in the last 7 and 30 days, on the day they take effect.

    The number active on a day is the sum of the changes up to that day: each learner-day of activity adds
    one where it starts to count and takes it away when it falls out of the window, so the rows stay additive.
    """

    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    day = models.DateField()
    active_7 = models.IntegerField(default=0, db_default=0)
    active_30 = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="one_commune_activity_day")]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.day}"


class LearnerActivityDay(models.Model):
    """A fact: the learner opened a lesson or handed in a quiz that day (local time), in that commune.

    learner_id is a plain number, no key: when an account is erased it becomes an anonymous negative number,
    so the day still counts once and nothing leads back to the person.
    """

    learner_id = models.BigIntegerField()
    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    day = models.DateField()
    # The rollup run that counted it in CommuneActivityDay; none yet while it waits.
    folded_in = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner_id", "day"], name="one_activity_per_learner_day")]
        indexes = [models.Index(fields=["id"], condition=models.Q(folded_in__isnull=True), name="activity_to_fold"),
                   models.Index(fields=["learner_id", "commune", "day"], name="activity_learner")]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.day}"


class PendingDay(models.Model):
    """A day the rollup must recompute although no timestamp says so (a learner moved, an account was erased)."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.day)


class RollupState(models.Model):
    """Where the rollup got to: raw rows changed after `watermark` have not been folded in yet."""

    name = models.CharField(max_length=30, unique=True)
    watermark = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_reconciled_at = models.DateTimeField(null=True, blank=True)
    runs = models.BigIntegerField(default=0)  # numbers the runs (LearnerActivityDay.folded_in)
    days_recomputed = models.PositiveIntegerField(default=0)
    needs_full = models.BooleanField(default=False)  # a programme changed: every day is recomputed

    def __str__(self) -> str:
        return f"{self.name} · {self.watermark}"
