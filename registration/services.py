"""Registering residents in person or from a file: one rule for creating the account, its consents and its class."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Consent, User
from accounts.services import record_consents, record_consents_of_many
from cohorts.models import Cohort
from cohorts.services import add_member, add_members
from places.text import clean_text

from .models import Guardian

ADULT_AGE = 16  # below this a guardian consents (Law 91/2025: a child's data needs a parent's or guardian's consent)


def is_minor(year_of_birth: int | None) -> bool:
    return bool(year_of_birth) and timezone.localdate().year - year_of_birth < ADULT_AGE


@dataclass
class GuardianDetails:
    full_name: str
    relationship: str
    phone: str = ""


def find_by_phone(phone: str | None) -> User | None:
    """The account already registered with this (normalised) number, if any."""
    return User.objects.filter(phone=phone).first() if phone else None


def possible_duplicates(*, full_name: str, year_of_birth: int | None, commune) -> list[User]:
    """People already registered with the same name (NFC, case and spaces aside), year of birth and commune."""
    name = " ".join(clean_text(full_name).split())
    return list(
        User.objects.filter(full_name__iexact=name, year_of_birth=year_of_birth, commune=commune).order_by("pk")[:5]
    )


@dataclass
class NewResident:
    """One adult to register from a list (an import): what register_resident asks for, without a guardian."""

    full_name: str
    phone: str | None
    year_of_birth: int | None
    gender: str
    commune: object
    purposes: list[str]


def _new_account(*, registered_by: User, full_name: str, phone: str | None, year_of_birth: int | None, gender: str,
                 commune, created_via: str) -> User:
    """The account a trainer creates, not yet saved: no password (they sign in with a reset code or a login
    card), marked as registered by that trainer."""
    user = User(
        username="u" + secrets.token_hex(6), full_name=" ".join(clean_text(full_name).split()), phone=phone or None,
        year_of_birth=year_of_birth, gender=gender or "", commune=commune, created_via=created_via,
        registered_by=registered_by,
    )
    user.set_unusable_password()
    return user


@transaction.atomic
def register_resident(
    *, registered_by: User, full_name: str, phone: str | None, year_of_birth: int | None, gender: str, commune,
    purposes: list[str], guardian: GuardianDetails | None = None, cohort: Cohort | None = None,
    created_via: str = User.CreatedVia.TRAINER,
) -> User:
    """Create the resident's account as a trainer does in person, consents recorded per purpose as given to the
    trainer, or by the guardian for a minor.

    Raises IntegrityError when the phone number is registered already (callers offer that person instead)."""
    user = _new_account(registered_by=registered_by, full_name=full_name, phone=phone, year_of_birth=year_of_birth,
                        gender=gender, commune=commune, created_via=created_via)
    user.full_clean(exclude=["password", "username"])
    user.save()
    method = Consent.Method.GUARDIAN if guardian else Consent.Method.TRAINER
    record_consents(user=user, purposes=purposes, method=method, recorded_by=registered_by)
    if guardian:
        Guardian.objects.create(learner=user, full_name=" ".join(clean_text(guardian.full_name).split()),
                                relationship=clean_text(guardian.relationship), phone=guardian.phone or "",
                                recorded_by=registered_by)
    if cohort is not None:
        add_member(cohort=cohort, learner=user, added_by=registered_by)
    return user


@transaction.atomic
def register_residents(
    *, registered_by: User, residents: list[NewResident], cohort: Cohort | None = None,
    created_via: str = User.CreatedVia.IMPORT,
) -> list[User]:
    """register_resident's rule for many adults at once, in a few queries whatever their number: the same
    accounts, consents given to the trainer and membership of the cohort.

    A minor needs their guardian's consent, given in person: ValueError. A phone number registered already (or
    twice in the list): IntegrityError, and nothing is saved; callers look the numbers up first."""
    users = []
    for resident in residents:
        if is_minor(resident.year_of_birth):
            raise ValueError("a minor is registered in person, with their guardian's consent")
        user = _new_account(registered_by=registered_by, full_name=resident.full_name, phone=resident.phone,
                            year_of_birth=resident.year_of_birth, gender=resident.gender, commune=resident.commune,
                            created_via=created_via)
        # The field rules of full_clean, without its queries (one per person would be slow): uniqueness is the
        # database's, and the commune and the trainer are rows the caller has in hand.
        user.clean_fields(exclude=["password", "username", "commune", "registered_by"])
        user.clean()
        users.append(user)
    User.objects.bulk_create(users, batch_size=500)
    grants = [(user, resident.purposes) for user, resident in zip(users, residents, strict=True)]
    record_consents_of_many(grants=grants, method=Consent.Method.TRAINER, recorded_by=registered_by)
    if cohort is not None:
        add_members(cohort=cohort, learners=users, added_by=registered_by)
    return users
