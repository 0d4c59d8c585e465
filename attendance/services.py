"""Writes about class sessions: adding one, saving its attendance sheet, a member's self check-in, exports' audit."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record
from cohorts.models import Cohort, Membership
from cohorts.services import refuse_if_archived

from . import tokens
from .models import Attendance, ClassSession

Status = Attendance.Status
# A member who scanned a good code and then had to log in first: how long that scan still counts.
LOGIN_GRACE_SECONDS = 10 * 60


class SheetRefused(ValueError):
    """A sheet that cannot be saved as sent (a status we do not know, someone not in the cohort)."""


class CheckInRefused(Exception):
    status = 400
    message = _("The code has expired, scan the code on the trainer's phone again.")


class NotAMember(CheckInRefused):
    status = 403
    message = _("You are not a member of this class. Ask the trainer to add you.")


def add_session(*, cohort: Cohort, date: datetime.date, starts_at: datetime.time | None = None, topic: str = "",
                lesson_key: uuid.UUID | None = None, place: str = "", created_by) -> ClassSession:
    refuse_if_archived(cohort)
    return ClassSession.objects.create(cohort=cohort, date=date, starts_at=starts_at, topic=topic,
                                       lesson_key=lesson_key, place=place or cohort.place, created_by=created_by)


def save_sheet(*, session: ClassSession, statuses: dict[int, str], marked_by) -> int:
    """Write the sheet in one transaction: one row per member sent, changed only where the status changed.

    Saving the same sheet again changes nothing. A member who checked in keeps via="check_in" until the trainer
    gives them another status. Returns how many rows were created or changed.
    """
    if any(value not in Status.values for value in statuses.values()):
        raise SheetRefused(_("Choose present, late, excused or absent for each member."))
    with transaction.atomic():
        # Locks the session: a check-in at the same moment waits, so neither write is lost.
        session = ClassSession.objects.select_for_update().select_related("cohort").get(pk=session.pk)
        if session.cohort.archived:
            raise SheetRefused(_("This class is archived: its attendance can no longer change."))
        member_ids = set(Membership.objects.filter(cohort_id=session.cohort_id, learner_id__in=list(statuses))
                         .values_list("learner_id", flat=True))
        if member_ids != set(statuses):
            raise SheetRefused(_("This sheet names someone who is not a member of the class."))
        existing = {mark.learner_id: mark for mark in session.marks.filter(learner_id__in=member_ids)}
        now = timezone.now()
        created, changed = [], []
        for learner_id, status in statuses.items():
            mark = existing.get(learner_id)
            if mark is None:
                created.append(Attendance(session=session, learner_id=learner_id, status=status,
                                          via=Attendance.Via.TRAINER, marked_by=marked_by))
            elif mark.status != status:
                mark.status, mark.via, mark.marked_by, mark.marked_at = status, Attendance.Via.TRAINER, marked_by, now
                changed.append(mark)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["status", "via", "marked_by", "marked_at"])
        if session.attendance_taken_at is None:
            session.attendance_taken_at = now
            session.save(update_fields=["attendance_taken_at"])
    return len(created) + len(changed)


@dataclass(frozen=True)
class CheckIn:
    session: ClassSession
    mark: Attendance
    outcome: str  # "marked" now, "already" present, or "kept": the trainer gave another status, which stays


def session_of_token(token: str, *, scanned_at: float | None = None) -> ClassSession:
    """The session a code is good for now (or was when scanned_at, before the member logged in); else refused."""
    reading = tokens.read_token(token)
    if not reading.fresh and scanned_at is not None and tokens.now() - scanned_at <= LOGIN_GRACE_SECONDS:
        reading = tokens.read_token(token, at=scanned_at)
    if not reading.fresh:
        raise CheckInRefused
    # An archived cohort's attendance is a record: a code shown just before archiving no longer marks anyone.
    session = (ClassSession.objects.select_related("cohort").filter(pk=reading.session_pk, cohort__archived_at=None)
               .first())
    if session is None:
        raise CheckInRefused
    return session


def check_in(*, token: str, learner, scanned_at: float | None = None) -> CheckIn:
    """Mark a member present from the class QR code. Idempotent; never overrides a status the trainer gave
    (late, excused, absent): the trainer's word stands and the page says so."""
    session = session_of_token(token, scanned_at=scanned_at)
    if not Membership.objects.filter(cohort_id=session.cohort_id, learner=learner).exists():
        raise NotAMember
    with transaction.atomic():
        ClassSession.objects.select_for_update().filter(pk=session.pk).first()
        mark = Attendance.objects.filter(session=session, learner=learner).first()
        if mark is None:
            mark = Attendance.objects.create(session=session, learner=learner, status=Status.PRESENT,
                                             via=Attendance.Via.CHECK_IN, marked_by=learner)
            return CheckIn(session, mark, "marked")
    return CheckIn(session, mark, "already" if mark.status == Status.PRESENT else "kept")


def record_export(*, cohort: Cohort, actor, kind: str, members: int, sessions: int) -> None:
    record(actor=actor, action="attendance.export", subject=f"cohort {cohort.pk}: {cohort.name}",
           commune=cohort.commune, cohort=cohort.pk, format=kind, members=members, sessions=sessions)
