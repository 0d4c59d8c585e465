"""One scoping rule: every model with a key to the user is declared or exempt, and visible() scopes each one."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Consent, User
from accounts.scoping import NOT_LEARNER_DATA, OTHER_APPS, NotScoped, managed, rule_for, visible
from attendance.models import Attendance, ClassSession
from audit.models import AuditEntry
from certificates.models import Certificate, RenderJob
from cohorts.models import Cohort, CohortCourse, CohortMessage, Membership
from courses.models import Enrollment, LessonProgress
from imports.models import ImportJob, ImportRow
from places.models import Province
from quizzes.models import AttemptAnswer, QuizAttempt
from registration.models import Guardian, LoginCard
from tests.conftest import make_user


def declared(model) -> bool:
    try:
        rule_for(model)
    except NotScoped:
        return False
    return True


def models_keyed_to_the_user() -> set:
    """Every installed model (ours, allauth's, Wagtail's, Django's) with a foreign key or one-to-one to the user;
    a many-to-many's hidden table counts as the model that declares the many-to-many."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if any(field.is_relation and field.related_model is user_model for field in model._meta.local_fields):
            found.add(model._meta.auto_created or model)
    return found


def test_every_model_with_a_key_to_the_user_is_declared_or_exempt():
    missing = sorted(model._meta.label for model in models_keyed_to_the_user()
                     if not declared(model) and model._meta.label not in NOT_LEARNER_DATA)
    assert not missing, (
        f"Models with a key to the user but no scoping rule: {missing}. Give each a `learner_path` (the lookup from "
        "its row to the learner) or `owner_path`, or list it in accounts.scoping.NOT_LEARNER_DATA with a reason.")


def test_the_exemptions_and_other_apps_name_installed_models_only():
    labels = {model._meta.label for model in apps.get_models()}
    assert not set(NOT_LEARNER_DATA) - labels, "NOT_LEARNER_DATA names models that are not installed"
    assert not set(OTHER_APPS) - labels, "OTHER_APPS names models that are not installed"
    both = [label for label in NOT_LEARNER_DATA if declared(apps.get_model(label))]
    assert not both, f"Both declared and exempt: {both}"
    assert all(reason.strip() for reason in NOT_LEARNER_DATA.values())


def test_a_model_without_a_rule_is_refused_not_shown_whole():
    with pytest.raises(NotScoped):
        visible(Province, None)


# ------------------------------------------------------------------ a row of each declared model, for each role

def rows_of_lan(lan, staff):
    """One row of each declared model that belongs to Lan (a staff member's job for the owner-only model)."""
    course_key = uuid.uuid4()
    attempt = QuizAttempt.objects.create(learner=lan, quiz_key=uuid.uuid4(), seed=1)
    cohort = Cohort.objects.create(commune=lan.commune, name="Lớp sáng thứ Ba")
    session = ClassSession.objects.create(cohort=cohort, date=timezone.localdate())
    import_job = ImportJob.objects.create(uploaded_by=staff, commune=lan.commune, filename="danh-sach.xlsx")
    return {
        User: lan,
        Consent: Consent.objects.create(user=lan, purpose="learning", text_version="1", method="online"),
        EmailAddress: EmailAddress.objects.create(user=lan, email="lan@example.org"),
        Enrollment: Enrollment.objects.create(learner=lan, course_key=course_key, commune=lan.commune),
        LessonProgress: LessonProgress.objects.create(learner=lan, course_key=course_key, lesson_key=uuid.uuid4()),
        QuizAttempt: attempt,
        AttemptAnswer: AttemptAnswer.objects.create(attempt=attempt, question_id="q1", is_correct=True),
        Certificate: Certificate.objects.create(serial="QN-2026-000001", code="ABCDEFGH23", learner=lan,
                                                course_key=course_key, course_title="Khóa học",
                                                full_name=lan.full_name, issuer_name="Sở",
                                                completed_at=timezone.now()),
        RenderJob: RenderJob.objects.create(course_key=course_key, course_title="Khóa học", requested_by=staff),
        Cohort: cohort,
        Membership: Membership.objects.create(cohort=cohort, learner=lan),
        CohortCourse: CohortCourse.objects.create(cohort=cohort, course_key=course_key),
        CohortMessage: CohortMessage.objects.create(cohort=cohort, text="Lớp học sáng mai 8:00"),
        ClassSession: session,
        Attendance: Attendance.objects.create(session=session, learner=lan),
        Guardian: Guardian.objects.create(learner=lan, full_name="Nguyễn Văn Hải", relationship="con"),
        LoginCard: LoginCard.objects.create(learner=lan, key="HL7K2M", secret_hash="!"),
        AuditEntry: AuditEntry.objects.create(actor=staff, action="cohort.export"),
        ImportJob: import_job,  # owner-only, like the render job: the staff member's upload
        ImportRow: ImportRow.objects.create(job=import_job, number=2, status="existing", learner=lan),
    }


@pytest.fixture
def viewers(people, places):
    other_trainer = make_user(username="trainer_hk", full_name="Lê Văn Tâm")
    other_trainer.trainer_communes.add(places["hoan_kiem"])
    editor = make_user(username="editor", full_name="Biên Tập", is_staff=True)
    inactive_staff = make_user(username="gone", full_name="Đã Nghỉ", staff_province=places["quang_ninh"],
                               is_active=False)
    return {
        "anonymous": None,
        "lan": people["lan"],
        "mai (other commune, same province)": people["mai"],
        "trainer of Hạ Long": people["trainer"],
        "trainer of Hoàn Kiếm": other_trainer,
        "staff of Quảng Ninh": people["staff"],
        "staff of Hà Nội": make_user(username="staff_hn", full_name="Sở Hà Nội", staff_province=places["ha_noi"]),
        "staff of Quảng Ninh, inactive": inactive_staff,
        "editor": editor,
        "superuser": make_user(username="root", full_name="Quản Trị", is_superuser=True, is_staff=True),
    }


SEES_LANS_ROWS = {"lan", "trainer of Hạ Long", "staff of Quảng Ninh", "superuser"}
SEES_THE_JOB = {"staff of Quảng Ninh", "superuser"}  # its requester, and superusers
SEES_THE_COMMUNES_ROWS = {"trainer of Hạ Long", "staff of Quảng Ninh", "superuser"}  # a commune-owned row


@pytest.mark.django_db
def test_visible_scopes_every_declared_model_for_every_role(people, viewers):
    rows = rows_of_lan(people["lan"], people["staff"])
    registered = {model for model in apps.get_models() if declared(model)}
    assert registered == set(rows), "add a row of each declared model to rows_of_lan()"
    for model, row in rows.items():
        kind = rule_for(model)[0]
        if kind == "owner":
            seers = SEES_THE_JOB
        elif kind == "commune" and not getattr(model, "member_path", None):
            seers = SEES_THE_COMMUNES_ROWS  # Lan's cohort's messages and course list: not hers to read
        else:
            seers = SEES_LANS_ROWS  # hers, or a cohort or session she is a member of
        for role, viewer in viewers.items():
            expected = role in seers
            seen = visible(model, viewer).filter(pk=row.pk).exists()
            assert seen == expected, f"{model._meta.label} seen by {role}: {seen}, expected {expected}"
            assert visible(model.objects.filter(pk=row.pk), viewer).exists() == expected  # a queryset too


@pytest.mark.django_db
def test_a_trainer_of_several_communes_and_staff_who_is_also_a_trainer(people, places):
    trainer = people["trainer"]
    trainer.trainer_communes.add(places["hoan_kiem"])
    assert set(visible(User, trainer).exclude(pk=trainer.pk)) == {people["lan"], people["hoa"]}
    staff = people["staff"]
    staff.trainer_communes.add(places["hoan_kiem"])
    assert set(visible(User, staff).exclude(pk=staff.pk)) == {people["lan"], people["mai"], people["hoa"]}


@pytest.mark.django_db
def test_only_the_communes_trainers_change_its_cohorts(people, viewers):
    cohort = Cohort.objects.create(commune=people["lan"].commune, name="Lớp chiều")
    ClassSession.objects.create(cohort=cohort, date=timezone.localdate())
    for model in (Cohort, ClassSession):
        for role, viewer in viewers.items():
            expected = role in {"trainer of Hạ Long", "superuser"}  # staff read their province, never change it
            assert managed(model, viewer).exists() == expected, f"{model._meta.label} managed by {role}"
    with pytest.raises(NotScoped):
        managed(Membership, people["trainer"])
