"""Roles, the communes in a viewer's area, and the learner lists (rows are filtered by scoping.visible)."""

from django.db.models import Q, QuerySet

from places.models import Commune

from .models import User
from .scoping import visible


def is_trainer(user: User) -> bool:
    return user.is_authenticated and user.trainer_communes.exists()


def is_provincial_staff(user: User) -> bool:
    return user.is_authenticated and user.staff_province_id is not None


def visible_communes(user: User) -> QuerySet[Commune]:
    """Communes whose learners this user may see: all for a superuser, else their assignments."""
    if not user.is_authenticated:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    scope = Q(trainers=user)
    if user.staff_province_id:
        scope |= Q(province_id=user.staff_province_id)
    return Commune.objects.filter(scope).distinct()


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
