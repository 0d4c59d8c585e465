"""Reads about cohorts: the trainer's list, one cohort's members, the resident search, a resident's own classes."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, F, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from accounts.scoping import managed, trained_communes, visible, visible_communes
from accounts.selectors import can_see_learners_of_others
from attendance.models import ClassSession
from courses.models import CoursePage
from places.text import search_key

from .models import Cohort, CohortMessage, Membership

SEARCH_LIMIT = 20
MIN_QUERY_LENGTH = 2
MIN_PHONE_DIGITS = 3

# Every letter of Vietnamese with a diacritic (both cases) and the letter search_key() folds it to: the
# database folds names the same way the project folds commune names (places.text.search_key).
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_LETTERS = sorted({
    char
    for base in "aăâeêioôơuưy"
    for tone in _TONES
    for char in (unicodedata.normalize("NFC", base + tone), unicodedata.normalize("NFC", base.upper() + tone))
    if not char.isascii()
} | {"đ", "Đ"})
FOLDS = "".join(_LETTERS), "".join(search_key(char) for char in _LETTERS)


class Folded(Func):
    """Lower-case text without diacritics, computed by the database: PostgreSQL's translate() over the letters of
    Vietnamese, then lower(); on SQLite (no translate(), and a nest of REPLACEs overflows its parser) the
    connection's `search_key` function, which is places.text.search_key itself (cohorts/apps.py registers it)."""

    function = "search_key"
    output_field = TextField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        source, folded = FOLDS
        translated = Func(self.get_source_expressions()[0], Value(source), Value(folded), function="TRANSLATE",
                          output_field=TextField())
        return Lower(translated).as_sql(compiler, connection)


def is_trainer_or_staff(viewer) -> bool:
    """Whether the viewer has a trainer's or provincial staff's role (the workspace is theirs)."""
    return viewer.is_authenticated and can_see_learners_of_others(viewer)


def _next_session(field: str, cohort_ref: str = "pk"):
    today = timezone.localdate()
    upcoming = ClassSession.objects.filter(cohort=OuterRef(cohort_ref), date__gte=today).order_by("date", "starts_at")
    return Subquery(upcoming.values(field)[:1])


def with_summary(cohorts: QuerySet) -> QuerySet:
    """Each cohort with its commune, member count and next class session: the same queries for 1 or 100 cohorts."""
    return cohorts.select_related("commune").annotate(
        member_count=Count("memberships", distinct=True),
        next_date=_next_session("date"),
        next_time=_next_session("starts_at"),
        next_topic=_next_session("topic"),
        next_place=_next_session("place"),
    )


def workspace_cohorts(*, viewer, archived: bool = False, commune_code: str | None = None) -> QuerySet:
    """The cohorts on a trainer's or staff member's home: theirs to read, active ones (or archived ones)."""
    cohorts = visible(Cohort, viewer).filter(archived_at__isnull=not archived)
    if commune_code:
        cohorts = cohorts.filter(commune_id=commune_code)
    return with_summary(cohorts).order_by("commune__name", "name", "pk")


def readable_cohort(*, viewer, pk: int) -> Cohort | None:
    """One cohort the viewer may read as trainer or staff (not as a member), or None."""
    return (visible(Cohort, viewer).filter(commune__in=visible_communes(viewer).values("pk"))
            .select_related("commune").filter(pk=pk).first())


def can_manage(*, viewer, cohort: Cohort) -> bool:
    return managed(Cohort, viewer).filter(pk=cohort.pk).exists()


def members(*, cohort: Cohort) -> QuerySet[Membership]:
    return (cohort.memberships.select_related("learner")
            .order_by("learner__full_name", "learner__pk"))


def masked_phone(phone: str | None) -> str:
    """A member's number as the trainer's list shows it: the last three digits ("0912 ••• 101")."""
    if not phone:
        return ""
    local = "0" + phone[3:] if phone.startswith("+84") else phone
    return f"{local[:4]} ••• {local[-3:]}" if len(local) > 7 else local


def phone_digits(query: str) -> str:
    """The digits a trainer typed for a number, as stored after +84: "0912 000 101" and "912000101" alike."""
    digits = re.sub(r"\D", "", query)
    if query.strip().startswith("+") or (digits.startswith("84") and len(digits) >= 11):
        digits = digits[2:]
    return digits.lstrip("0")


def addable_residents(*, viewer) -> QuerySet[User]:
    """Residents a trainer may add to a cohort: those they may read, living in a commune they train."""
    return visible(User, viewer).filter(commune__in=trained_communes(viewer).values("pk"), is_active=True)


def search_residents(*, viewer, cohort: Cohort, query: str, limit: int = SEARCH_LIMIT) -> list[User]:
    """Residents of the viewer's communes matching a name (every word, at a word's start, ignoring diacritics
    and case) or a phone number (any way of writing it), who are not members of the cohort yet."""
    text = (query or "").strip()
    residents = addable_residents(viewer=viewer).exclude(cohort_memberships__cohort=cohort)
    if re.search(r"[^\d\s.+()-]", text):
        words = search_key(text).split()
        if len("".join(words)) < MIN_QUERY_LENGTH:
            return []
        residents = residents.annotate(folded=Folded("full_name"))
        for word in words:
            residents = residents.filter(Q(folded__startswith=word) | Q(folded__contains=f" {word}"))
    else:
        digits = phone_digits(text)
        if len(digits) < MIN_PHONE_DIGITS:
            return []
        residents = residents.filter(phone__contains=digits)
    return list(residents.select_related("commune").order_by("full_name", "pk")[:limit])


def cohort_messages(*, cohort: Cohort) -> QuerySet[CohortMessage]:
    return cohort.messages.select_related("sent_by").order_by("-created_at", "-pk")


def course_choices() -> list[tuple[str, str]]:
    """(translation key, title) of the live Vietnamese courses, in the catalogue's order."""
    pages = CoursePage.objects.live().filter(locale__language_code="vi").order_by("path")
    return [(str(key), title) for key, title in pages.values_list("translation_key", "title")]


def co_trainer_choices(*, commune_ids) -> QuerySet[User]:
    """The trainers of these communes (a cohort's co-trainers come from its own commune)."""
    return User.objects.filter(trainer_communes__in=commune_ids, is_active=True).distinct().order_by("full_name")


@dataclass
class MyCohort:
    cohort: Cohort
    trainers: list[str]


def my_cohorts(*, learner) -> list[MyCohort]:
    """The cohorts a resident belongs to, with trainers' names and the next session: three queries."""
    own = visible(Membership, learner).filter(learner=learner).values("cohort_id")
    cohorts = list(with_summary(Cohort.objects.filter(pk__in=own))
                   .prefetch_related("trainers").order_by(F("archived_at").asc(nulls_first=True), "name"))
    return [MyCohort(cohort, [t.full_name for t in cohort.trainers.all()]) for cohort in cohorts]


def has_memberships(*, learner) -> bool:
    return visible(Membership, learner).filter(learner=learner).exists()
