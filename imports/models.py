"""An import of residents from a spreadsheet: the job a trainer uploaded, and each row's preview and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file. The file itself is not kept: its rows are read once, into ImportRow, for the preview."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PREVIEWED = "previewed", _("Waiting for your confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Import finished")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("uploaded by"))
    owner_path = "uploaded_by"  # accounts/scoping.py: only the trainer who uploaded it reads it
    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("commune"), help_text=_("For rows that name no commune."))
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("cohort to join"))
    filename = models.CharField(_("file name"), max_length=200)
    purposes = models.JSONField(_("consents confirmed"), default=list)
    contact_confirmed = models.BooleanField(_("consent to SMS about classes confirmed"), default=False)
    status = models.CharField(_("import status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    # What the preview found, counted once when the file is read.
    total = models.PositiveIntegerField(_("rows in the file"), default=0)
    new = models.PositiveIntegerField(_("new people"), default=0)
    existing = models.PositiveIntegerField(_("already registered"), default=0)
    duplicates = models.PositiveIntegerField(_("possible duplicates"), default=0)
    errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    # What the import did, counted as it goes.
    to_import = models.PositiveIntegerField(_("rows to import"), default=0)
    done = models.PositiveIntegerField(_("rows imported"), default=0)
    created = models.PositiveIntegerField(_("accounts created"), default=0)
    joined = models.PositiveIntegerField(_("added to the cohort"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import of residents")
        verbose_name_plural = _("imports of residents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent_done(self) -> int:
        return 100 if not self.to_import else min(100, self.done * 100 // self.to_import)


class ImportRow(models.Model):
    """One row of the file: what it says, what the preview found, and (once imported) the account it is."""

    class Status(models.TextChoices):
        NEW = "new", _("New person")
        EXISTING = "existing", _("Already registered")
        DUPLICATE = "duplicate", _("Possible duplicate")
        ERROR = "error", _("Has an error")

    class Reason(models.TextChoices):
        MISSING_NAME = "missing_name", _("The name is missing")
        BAD_NAME = "bad_name", _("The name must be written in letters")
        BAD_PHONE = "bad_phone", _("The phone number is not a Vietnamese mobile number")
        BAD_YEAR = "bad_year", _("The year of birth is not a year (for example 1962)")
        BAD_GENDER = "bad_gender", _("Gender must be Nam, Nữ or Khác")
        UNKNOWN_COMMUNE = "unknown_commune", _("Unknown commune (write its code or its name)")
        OUTSIDE_AREA = "outside_area", _("This commune is outside your area")
        MINOR = "minor", _("Under 16 (register them in person, with their guardian's consent)")
        REPEATED = "repeated", _("The same person as an earlier row of the file")
        SAME_PERSON = "same_person", _("Someone with the same name, year of birth and commune is registered already")
        ELSEWHERE = "elsewhere", _("Registered in a commune outside your area (not added to the cohort)")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    owner_path = "job__uploaded_by"  # accounts/scoping.py
    number = models.PositiveIntegerField(_("row number"))  # as the spreadsheet numbers it: the headers are row 1
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=16, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("commune"))
    wants_contact = models.BooleanField(_("agreed to SMS about classes"), default=False)
    status = models.CharField(_("row status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices, blank=True)
    value = models.CharField(_("as written"), max_length=100, blank=True)  # the cell the reason is about
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("their account"))
    imported = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["number"]
        indexes = [models.Index(fields=["job", "imported", "number"], name="import_rows_to_do")]

    def __str__(self) -> str:
        return f"{self.job} · {self.number}"
