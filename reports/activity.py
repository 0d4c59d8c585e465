"""The one write the learning pages make for statistics: "this learner was active today" (once a day)."""

from django.utils import timezone

from .models import LearnerActivityDay


def record_activity(*, learner) -> None:
    """Note that the learner opened a lesson or handed in a quiz today (local day): one upsert, nothing if the
    day is already noted. Learners without a commune are not counted anywhere, so nothing is written."""
    if not learner.commune_id:
        return
    LearnerActivityDay.objects.bulk_create(
        [LearnerActivityDay(learner_id=learner.pk, commune_id=learner.commune_id, day=timezone.localdate())],
        ignore_conflicts=True,
    )
