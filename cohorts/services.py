"""Writes about cohorts: create, edit, archive, members in and out, messages to the members."""

import logging
from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import sms
from accounts.models import Consent
from audit.services import record

from .models import Cohort, CohortCourse, CohortMessage, Membership

logger = logging.getLogger(__name__)


class CohortArchived(Exception):
    """An archived cohort is a record: it takes no new members, loses none, sends no messages, keeps its details,
    and its class sessions and attendance stay as they were (attendance.services asks refuse_if_archived too).
    Only making it active again changes it."""


def refuse_if_archived(cohort: Cohort) -> None:
    if cohort.archived:
        raise CohortArchived(cohort.pk)


def add_member(*, cohort: Cohort, learner, added_by) -> tuple[Membership, bool]:
    """Make the learner a member, once: adding a member again (or twice at the same moment) changes nothing."""
    try:
        with transaction.atomic():
            return Membership.objects.get_or_create(cohort=cohort, learner=learner, defaults={"added_by": added_by})
    except IntegrityError:
        return Membership.objects.get(cohort=cohort, learner=learner), False


def join(*, cohort: Cohort, learner, added_by) -> tuple[Membership, bool]:
    """A trainer adds a resident to an open cohort (add_member, refused once the cohort is archived)."""
    refuse_if_archived(cohort)
    return add_member(cohort=cohort, learner=learner, added_by=added_by)


def remove_member(*, cohort: Cohort, learner) -> bool:
    """The learner leaves an open cohort; their progress and attendance stay (they are the learner's facts)."""
    refuse_if_archived(cohort)
    deleted, _ = Membership.objects.filter(cohort=cohort, learner=learner).delete()
    return bool(deleted)


def _set_courses(cohort: Cohort, course_keys: Sequence) -> None:
    """The cohort follows these courses, in this order (one row per course)."""
    CohortCourse.objects.filter(cohort=cohort).exclude(course_key__in=list(course_keys)).delete()
    existing = {str(key): pk for pk, key in CohortCourse.objects.filter(cohort=cohort).values_list("pk", "course_key")}
    for position, key in enumerate(course_keys):
        if str(key) in existing:
            CohortCourse.objects.filter(pk=existing[str(key)]).update(position=position)
        else:
            CohortCourse.objects.create(cohort=cohort, course_key=key, position=position)


@transaction.atomic
def create_cohort(*, creator, commune, name: str, course_keys: Sequence = (), starts_on: date | None = None,
                  ends_on: date | None = None, place: str = "", schedule: str = "", co_trainers=()) -> Cohort:
    """A new cohort in one of the creator's communes; the creator is one of its trainers."""
    cohort = Cohort.objects.create(commune=commune, name=name, starts_on=starts_on, ends_on=ends_on, place=place,
                                   schedule=schedule, created_by=creator)
    cohort.trainers.set([creator, *co_trainers])
    _set_courses(cohort, course_keys)
    return cohort


@transaction.atomic
def update_cohort(*, cohort: Cohort, commune, name: str, course_keys: Sequence = (), starts_on: date | None = None,
                  ends_on: date | None = None, place: str = "", schedule: str = "", co_trainers=(),
                  editor=None) -> Cohort:
    """Change an open cohort's details, courses and trainers; the one editing stays one of its trainers."""
    refuse_if_archived(cohort)
    cohort.commune, cohort.name, cohort.starts_on, cohort.ends_on = commune, name, starts_on, ends_on
    cohort.place, cohort.schedule = place, schedule
    cohort.save()
    trainers = list(co_trainers)
    if editor is not None and not editor.is_superuser:
        trainers.append(editor)
    cohort.trainers.set(trainers)
    _set_courses(cohort, course_keys)
    return cohort


def archive_cohort(*, cohort: Cohort) -> Cohort:
    """A finished cohort: kept with its members and records, shown apart, taking no new members."""
    if cohort.archived_at is None:
        cohort.archived_at = timezone.now()
        cohort.save(update_fields=["archived_at"])
    return cohort


def unarchive_cohort(*, cohort: Cohort) -> Cohort:
    if cohort.archived_at is not None:
        cohort.archived_at = None
        cohort.save(update_fields=["archived_at"])
    return cohort


def send_message(*, cohort: Cohort, text: str, sent_by) -> CohortMessage:
    """Keep the message, and have a worker send it once the current transaction has committed."""
    from .tasks import deliver_cohort_message

    refuse_if_archived(cohort)
    message = CohortMessage.objects.create(cohort=cohort, text=text, sent_by=sent_by)
    pk = message.pk
    transaction.on_commit(lambda: deliver_cohort_message.delay(pk))
    return message


def recipients_of(cohort: Cohort) -> tuple[list[str], int]:
    """(phones of the active members who agreed to SMS about their classes, number left out): one query."""
    contact = Consent.objects.filter(user=OuterRef("learner"), purpose=Consent.Purpose.CONTACT, withdrawn_at=None)
    rows = (Membership.objects.filter(cohort=cohort)
            .annotate(consents=Exists(contact))
            .values_list("learner__phone", "consents", "learner__is_active"))
    phones, skipped = [], 0
    for phone, consents, active in rows:
        if phone and consents and active:  # a deactivated account is contacted no more
            phones.append(phone)
        else:
            skipped += 1
    return phones, skipped


def deliver_message(*, message_id: int) -> CohortMessage | None:
    """Send a kept message by SMS to the members who agreed to it; run twice, it sends once (the first run claims
    the row by setting sent_at; a second finds it taken). At most once: a worker lost after the claim leaves the
    message unsent (sent_at set, no recipients), never sent twice."""
    claimed = CohortMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return None
    message = CohortMessage.objects.select_related("cohort__commune", "sent_by").get(pk=message_id)
    phones, skipped = recipients_of(message.cohort)
    sent = 0
    for phone in phones:
        try:
            sms.send_sms(phone, message.text)
            sent += 1
        except (OSError, RuntimeError):
            # One failing number does not stop the others; it counts as not sent.
            logger.exception("cohort message %s: SMS to %s failed", message.pk, sms.masked_phone(phone))
            skipped += 1
    CohortMessage.objects.filter(pk=message.pk).update(recipients=sent, skipped=skipped)
    message.recipients, message.skipped = sent, skipped
    record(actor=message.sent_by, action="cohort.message", subject=str(message.cohort), commune=message.cohort.commune,
           cohort=message.cohort.pk, message=message.pk, text=message.text, recipients=sent, skipped=skipped)
    return message


def add_members(*, cohort: Cohort, learners, added_by) -> int:
    """add_member for many learners in one INSERT: those already members are left as they are. Returns how many
    joined."""
    learner_ids = {learner.pk for learner in learners}
    already = set(Membership.objects.filter(cohort=cohort, learner_id__in=learner_ids)
                  .values_list("learner_id", flat=True))
    joining = [Membership(cohort=cohort, learner_id=pk, added_by=added_by) for pk in learner_ids - already]
    Membership.objects.bulk_create(joining, ignore_conflicts=True, batch_size=1000)
    return len(joining)
