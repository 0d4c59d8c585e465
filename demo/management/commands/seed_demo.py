"""Create demo accounts in Quảng Ninh for trying the platform (never in production)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import Consent, User
from certificates.services import issuer_settings
from courses.demo import SCAM_SLUG, VNEID_SLUG, build_demo_courses, demo_course_urls
from courses.models import CoursePage, LessonPage
from courses.services import complete_lesson
from demo.classes import COHORT_NAME, seed_class
from places.models import Commune, Province
from quizzes.demo import build_demo_quizzes
from quizzes.models import QuizAttempt, QuizPage
from quizzes.services import start_attempt, submit_attempt

DEMO_PASSWORD = "hocvuso2025"  # noqa: S105 - demo accounts on a developer's machine only
QUANG_NINH = "22"

# (username, full name, phone, email, year of birth, gender, commune name)
RESIDENTS = [
    ("demo-lan", "Nguyễn Thị Lan", "+84912000101", 1962, "female", "Phường Hạ Long"),
    ("demo-hung", "Trần Văn Hùng", "+84912000102", 1958, "male", "Phường Hạ Long"),
    ("demo-mai", "Phạm Thị Mai", "+84912000103", 1975, "female", "Phường Bãi Cháy"),
    ("demo-tuan", "Lê Minh Tuấn", "+84912000104", 1990, "male", "Đặc khu Cô Tô"),
]


class Command(BaseCommand):
    help = "Create demo accounts (admin, provincial staff, trainer, editor, residents) in Quảng Ninh."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        if not Province.objects.filter(code=QUANG_NINH).exists():
            call_command("load_places")
        with transaction.atomic():
            rows = self.seed()
        build_demo_courses()
        build_demo_quizzes()
        self.seed_progress()
        trainer = User.objects.get(username="demo-trainer")
        if seed_class(trainer=trainer, scams_slug=SCAM_SLUG, vneid_slug=VNEID_SLUG, password=DEMO_PASSWORD):
            rows.append(("", f"the trainer's class: “{COHORT_NAME}” at /trainer/"))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for role, login in rows:
            self.stdout.write(f"  {role:<18} {login}")
        self.stdout.write(f"Demo courses: {', '.join(demo_course_urls())}")

    def seed(self) -> list[tuple[str, str]]:
        province = Province.objects.get(code=QUANG_NINH)
        ha_long = Commune.objects.get(province=province, name="Phường Hạ Long")
        rows = []

        admin = self.account("demo-admin", "Quản trị viên", email="admin@example.org",
                             is_staff=True, is_superuser=True)
        rows.append(("administrator", f"{admin.email} (/admin/, /django-admin/)"))

        staff = self.account("demo-province", "Đỗ Thu Hà", phone="+84912000001",
                             email="so-khcn@example.org", staff_province=province)
        rows.append(("provincial staff", f"0912 000 001 or {staff.email}"))

        trainer = self.account("demo-trainer", "Vũ Quang Minh", phone="+84912000002")
        trainer.trainer_communes.add(ha_long)
        rows.append(("trainer (Hạ Long)", "0912 000 002"))

        editor = self.account("demo-editor", "Hoàng Thị Thu", email="editor@example.org",
                              is_staff=True)
        editors, _ = Group.objects.get_or_create(name="Editors")
        editor.groups.add(editors)
        rows.append(("editor", f"{editor.email} (/admin/)"))

        for username, name, phone, year, gender, commune_name in RESIDENTS:
            commune = Commune.objects.get(province=province, name=commune_name)
            resident = self.account(username, name, phone=phone, year_of_birth=year,
                                    gender=gender, commune=commune)
            if not resident.consents.exists():
                services.record_consents(
                    user=resident, purposes=list(Consent.Purpose.values), method="trainer",
                    recorded_by=trainer,
                )
            rows.append((f"resident ({commune.name})", f"0{phone[3:6]} {phone[6:9]} {phone[9:]}"))
        return rows

    def seed_progress(self):
        """Something to look at: Lan finished the scams course (her certificate is issued), Hùng is half-way
        through the VNeID course. Idempotent: finished lessons and a passed test are not repeated."""

        def course(slug):
            return CoursePage.objects.filter(slug=slug, locale__language_code="vi").first()

        def finish_lessons(learner, page, count=None):
            for lesson in list(LessonPage.objects.child_of(page).live().order_by("path"))[:count]:
                complete_lesson(learner=learner, lesson=lesson)

        issuer = issuer_settings()
        if issuer.pk and not issuer.signer_name:  # a made-up signer, so the demo certificate looks complete
            issuer.signer_name = "Nguyễn Văn Bình"
            issuer.save(update_fields=["signer_name"])
        scams, vneid = course(SCAM_SLUG), course(VNEID_SLUG)
        lan = User.objects.filter(username="demo-lan").first()
        if scams and lan:
            finish_lessons(lan, scams)
            final = QuizPage.objects.child_of(scams).live().filter(is_final=True).first()
            if final and not QuizAttempt.objects.filter(learner=lan, quiz_key=final.translation_key,
                                                        passed=True).exists():
                attempt, _ = start_attempt(learner=lan, quiz=final)
                submit_attempt(learner=lan, attempt_id=attempt.pk, answers={
                    question_id: attempt.answer_key[question_id]["correct"] for question_id in attempt.question_ids
                })
        hung = User.objects.filter(username="demo-hung").first()
        if vneid and hung:
            finish_lessons(hung, vneid, count=2)

    def account(self, username, full_name, **fields) -> User:
        """Create the account once; a second run leaves it (and any changes made to it) alone."""
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "phone_verified": "phone" in fields, **fields},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
