"""Registering residents in person or from a file: one rule for creating the account, its consents and its class."""

import functools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, User
from accounts.services import record_consents, record_consents_of_many
from audit.services import record
from cohorts.models import Cohort
from cohorts.services import add_member, add_members
from places.text import clean_text

from .models import Guardian, LoginCard
from .selectors import residents_only

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
    """People already registered with the same name (NFC, case and spaces aside), year of birth and commune.

    The name is compared in Python (casefold), not with `iexact`: SQLite folds only ASCII ("Ễ" ≠ "ễ"); one
    commune's residents born in one year are a few hundred at most."""
    name = clean_text(full_name).casefold()
    same_year = User.objects.filter(year_of_birth=year_of_birth, commune=commune).order_by("pk")
    return [user for user in same_year.only("pk", "full_name", "commune") if
            clean_text(user.full_name).casefold() == name][:5]


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
    record(actor=registered_by, action="resident.register", subject=f"user {user.pk}", commune=commune,
           created_via=created_via, purposes=[str(purpose) for purpose in purposes], guardian=guardian is not None,
           cohort=cohort.pk if cohort else None)
    return user



# ----------------------------------------------------------------------------------------------- login cards
# Card numbers and secrets use letters and digits that cannot be misread (no 0/O, 1/I/L).
CARD_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CARD_KEY_LENGTH = 6
CARD_SECRET_LENGTH = 6  # 31**6 ≈ 2**29.7 secrets, besides the card's rate limit


class CardSecretHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds than a password's (1,000,000 take 0.6 s): printing a class of 30 cards stays
    under a second, while a stolen hash of a 30-bit secret still takes months of CPU to reverse."""

    iterations = 30_000


CARD_HASHER = CardSecretHasher()


@functools.cache
def _unknown_card_hash() -> str:
    """Checked against when the card number is unknown, so a wrong number takes as long as a wrong secret."""
    return make_password(secrets.token_hex(8), hasher=CARD_HASHER)


def _card_chars(length: int) -> str:
    return "".join(secrets.choice(CARD_ALPHABET) for _ in range(length))


def normalize_card_code(raw: str) -> str:
    """What a person typed or the QR code carried ("hl7k2m 482915", "HL7K2M-482915") as 12 characters."""
    return "".join(char for char in clean_text(raw).upper() if char.isalnum())


def format_card_code(key: str, secret: str) -> str:
    return f"{key}-{secret}"


def card_login_url(code: str) -> str:
    """The address in the card's QR code: the card sign-in page with the code filled in."""
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("registration:card_login") + "?code=" + code


@dataclass
class IssuedCard:
    """A card just issued, with its whole code: shown once, on the printed card, and never stored."""

    card: LoginCard
    code: str

    @property
    def learner(self) -> User:
        return self.card.learner


def issue_card(*, learner: User, issued_by: User) -> IssuedCard:
    """A new card for the learner; every earlier card of theirs stops working."""
    return issue_cards(learners=[learner], issued_by=issued_by)[0]


@transaction.atomic
def issue_cards(*, learners: list[User], issued_by: User, cohort: Cohort | None = None) -> list[IssuedCard]:
    """New cards for these learners (in this order), revoking their earlier cards; recorded in the audit."""
    now = timezone.now()
    LoginCard.objects.filter(learner__in=[learner.pk for learner in learners], revoked_at=None).update(revoked_at=now)
    issued = []
    for learner in learners:
        secret = _card_chars(CARD_SECRET_LENGTH)
        for _attempt in range(5):  # 31**6 card numbers: a clash is rare, and the unique key catches it
            key = _card_chars(CARD_KEY_LENGTH)
            try:
                with transaction.atomic():
                    card = LoginCard.objects.create(learner=learner, key=key, issued_by=issued_by,
                                                    secret_hash=make_password(secret, hasher=CARD_HASHER))
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("no free login card number after 5 tries")
        issued.append(IssuedCard(card=card, code=format_card_code(key, secret)))
    if learners:
        subject = f"cohort {cohort.pk}" if cohort else f"user {learners[0].pk}"
        commune = cohort.commune if cohort else learners[0].commune
        record(actor=issued_by, action="login_card.issue", subject=subject, commune=commune,
               learners=[learner.pk for learner in learners])
    return issued


def sign_in_card(code: str) -> User | None:
    """The active learner whose valid card has this code, marking the card used; None for any wrong code.

    Always one hash check, whichever part is wrong, so the time taken tells nothing either."""
    code = normalize_card_code(code)
    key, secret = code[:CARD_KEY_LENGTH], code[CARD_KEY_LENGTH:]
    card = (LoginCard.objects.select_related("learner").filter(key=key, revoked_at=None).first()
            if len(code) == CARD_KEY_LENGTH + CARD_SECRET_LENGTH else None)
    right = CARD_HASHER.verify(secret, card.secret_hash if card else _unknown_card_hash())
    if not (card and right and card.learner.is_active):
        return None
    if not residents_only(User.objects.filter(pk=card.learner_id)).exists():
        return None  # given a role since the card was printed: the card no longer opens the account
    card.last_used_at = timezone.now()
    card.save(update_fields=["last_used_at"])
    return card.learner


def cards_pdf(issued: list[IssuedCard], *, sheet: bool) -> bytes:
    """The printed cards of `issued`: one A6 page each, or four to an A4 page (sheet)."""
    from . import pdf

    return pdf.render([
        pdf.CardData(full_name=item.learner.full_name, commune_name=item.learner.commune.name if
                     item.learner.commune_id else "", code=item.code, login_url=card_login_url(item.code))
        for item in issued
    ], sheet=sheet)


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
