"""Reads for registering residents and their login cards, always through the one scoping rule."""

from django.db.models import QuerySet

from accounts.models import User
from accounts.scoping import managed, trained_communes, visible
from cohorts.models import Cohort

from .models import LoginCard


def can_register(viewer) -> bool:
    """Trainers of a commune (and superusers) register its residents; provincial staff only read."""
    return trained_communes(viewer).exists()


def residents_only(users: QuerySet[User]) -> QuerySet[User]:
    """The plain residents among these users: no admin or editor, no provincial staff, no trainer. A login card
    signs its holder in without a password and its code passes through the trainer's hands, so a trainer may
    never hold one for an account with a role (another trainer, staff, a superuser who lives in the commune)."""
    return users.filter(is_staff=False, is_superuser=False, staff_province=None, groups=None,
                        trainer_communes=None)


def registrable_learners(viewer) -> QuerySet[User]:
    """The people a viewer may register, add to a class by phone or issue a card for: plain residents visible to
    them and living in a commune they train."""
    return residents_only(visible(User, viewer).filter(commune__in=trained_communes(viewer).values("pk")))


def joinable_cohorts(viewer) -> QuerySet[Cohort]:
    """The classes a viewer may put a resident in: the ones they manage that are not archived."""
    return managed(Cohort, viewer).filter(archived_at=None).select_related("commune").order_by("name")


def current_card(learner) -> LoginCard | None:
    """The person's card that works now (the latest not revoked), if any."""
    return LoginCard.objects.filter(learner=learner, revoked_at=None).order_by("-issued_at").first()


def cohort_card_holders(*, cohort: Cohort, viewer, only_without_card: bool) -> list[User]:
    """The cohort's members a viewer may issue cards for, by name; only those without a working card if asked."""
    members = registrable_learners(viewer).filter(cohort_memberships__cohort=cohort)
    if only_without_card:
        members = members.exclude(pk__in=LoginCard.objects.filter(revoked_at=None).values("learner"))
    return list(members.select_related("commune").order_by("full_name", "pk").distinct())
