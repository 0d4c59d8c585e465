"""The user (a resident, trainer, provincial staff member or editor) and their consents."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from places.text import clean_text

from .phone import PhoneNumberField
from .validators import validate_person_name


class User(AbstractUser):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class CreatedVia(models.TextChoices):
        SELF = "self", _("Self sign-up")
        TRAINER = "trainer", _("Registered by a trainer")
        IMPORT = "import", _("Imported")

    # Vietnamese names are one string ("Nguyễn Thị Lan"); first/last name are not used.
    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_person_name])
    phone = PhoneNumberField(
        _("phone number"), max_length=16, unique=True, null=True, blank=True,
        help_text=_("Vietnamese mobile number in international form, e.g. +84912345678."),
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    email = models.EmailField(_("email address"), blank=True)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="residents",
        verbose_name=_("commune"),
    )
    created_via = models.CharField(
        _("created via"), max_length=10, choices=CreatedVia.choices, default=CreatedVia.SELF
    )
    registered_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"), help_text=_("The trainer who registered this person, if one did."),
    )
    # Roles. Editors are members of Wagtail's "Editors" group.
    trainer_communes = models.ManyToManyField(
        Commune, blank=True, related_name="trainers", verbose_name=_("trainer of communes"),
        help_text=_("The user trains residents of these communes and sees only their learners."),
    )
    staff_province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        verbose_name=_("provincial staff of"),
        help_text=_("The user reports on this province and sees only its learners."),
    )

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]
    learner_path = ""  # the row is the learner (accounts/scoping.py)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="unique_email_when_set"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.phone or self.email or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    def clean(self):
        super().clean()
        self.full_name = clean_text(self.full_name)
        self.email = self.__class__.objects.normalize_email(self.email or "")

    @property
    def age(self) -> int | None:
        if not self.year_of_birth:
            return None
        return timezone.localdate().year - self.year_of_birth


class Consent(models.Model):
    """Evidence that a person agreed to one purpose of processing, kept even after withdrawal."""

    class Purpose(models.TextChoices):
        LEARNING = "learning", _("Learning: keep my progress and show it to my trainer")
        CERTIFICATION = "certification", _("Certification: print my name on certificates")
        CONTACT = "contact", _("Classes: send me SMS about my class sessions")

    class Method(models.TextChoices):
        ONLINE = "online", _("Ticked by the person on the sign-up form")
        TRAINER = "trainer", _("Given in person to a trainer")
        GUARDIAN = "guardian", _("Given by a parent or guardian")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    learner_path = "user"
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.text_version}"
