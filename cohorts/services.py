"""Writes about cohorts: members in and out (create, edit, archive, messages are added with their pages)."""

from django.db import IntegrityError, transaction

from .models import Cohort, Membership


def add_member(*, cohort: Cohort, learner, added_by) -> tuple[Membership, bool]:
    """Make the learner a member, once: adding a member again (or twice at the same moment) changes nothing."""
    try:
        with transaction.atomic():
            return Membership.objects.get_or_create(cohort=cohort, learner=learner, defaults={"added_by": added_by})
    except IntegrityError:
        return Membership.objects.get(cohort=cohort, learner=learner), False
