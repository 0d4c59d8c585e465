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


def add_members(*, cohort: Cohort, learners, added_by) -> int:
    """add_member for many learners in one INSERT: those already members are left as they are. Returns how many
    joined."""
    learner_ids = {learner.pk for learner in learners}
    already = set(Membership.objects.filter(cohort=cohort, learner_id__in=learner_ids)
                  .values_list("learner_id", flat=True))
    joining = [Membership(cohort=cohort, learner_id=pk, added_by=added_by) for pk in learner_ids - already]
    Membership.objects.bulk_create(joining, ignore_conflicts=True, batch_size=1000)
    return len(joining)
