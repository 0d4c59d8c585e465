"""Roles and the learner lists; rows and communes in a viewer's area come from accounts.scoping."""

from django.db.models import QuerySet

from .models import User
from .scoping import visible


def is_trainer(user: User) -> bool:
    return user.is_authenticated and user.trainer_communes.exists()


def is_provincial_staff(user: User) -> bool:
    return user.is_authenticated and user.staff_province_id is not None


def can_see_learners_of_others(user: User) -> bool:
    return user.is_superuser or is_provincial_staff(user) or is_trainer(user)


def learner_list(*, viewer: User, commune_code: str | None = None) -> QuerySet[User]:
    """Learners in the viewer's scope, for the trainer's and staff's list pages."""
    learners = (
        visible(User, viewer)
        .exclude(pk=viewer.pk)
        .filter(commune__isnull=False)
        .select_related("commune__province")
        .order_by("commune__name", "full_name")
    )
    if commune_code:
        learners = learners.filter(commune_id=commune_code)
    return learners
