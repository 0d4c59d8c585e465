"""Every URL pattern × every role, with real ids of someone else's objects: exactly one expected answer per cell.

The patterns are collected from the URL conf (i18n-prefixed ones, Wagtail's page routes, the API's routes), so a
pattern added without its row fails `test_every_pattern_has_a_row`, and a row whose pattern is gone fails too.
Wagtail's and Django's own admin screens are covered by rules (RULES): a pattern under a rule's prefix whose view
is not one of ours needs no row of its own, and the rule's few sample rows stand for all of them. Our views inside
the admin (certificates, quiz results) each have their own row, wherever they are mounted.

How to read a row:  row(key, method, url, anonymous, owner, resident, trainer, staff, editor, superuser, **more)
  key       the pattern's name (its route when it has none; "page <model> <route name>" for page routes)
  url       how to build its URL from the data `d` (Lan's things, or things of others where that is the point)
  owner     Lan herself (Phường Hạ Long, Quảng Ninh), whose objects the URLs name
  resident  Mai, a resident of another commune (Phường Bãi Cháy, same province)
  trainer   a trainer of another commune (Phường Hoàn Kiếm, Hà Nội)
  staff     provincial staff of another province (Hà Nội), with certificate rights in the admin
  editor    a member of Wagtail's Editors group
  more      owner-side roles where they matter: trainer_here (of Hạ Long), staff_here (of Quảng Ninh, with
            certificate rights in the admin, who asked for the render job)
A cell is a status code, a Redirect whose target must match (LOGIN, ADMIN_LOGIN, ...), or SEES: in a row with a
`secret` (Lan's name, serial …), SEES is a 200 that shows it and a plain 200 one that must not. POST rows send
`data` and run in a transaction that is rolled back, so no cell changes what the next one sees.
MATRIX_DUMP=1 prints what every role gets for every row, to write a new row or review one.
"""

import os
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, get_page_models

from accounts.services import record_consents
from attendance.models import ClassSession
from attendance.tokens import make_token
from certificates.models import Certificate, RenderJob
from certificates.services import issue_certificate
from cms.models import HomePage
from cohorts.models import Cohort, CohortCourse
from cohorts.services import add_member
from courses import services as course_services
from courses.models import CourseIndexPage
from imports.models import ImportJob, ImportRow
from places.models import Commune, Province
from quizzes import services as quiz_services
from quizzes.testing import make_quiz, right_answers
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

OURS = ("accounts.", "places.", "courses.", "quizzes.", "certificates.", "cms.", "cohorts.", "progress.",
        "attendance.", "registration.", "imports.", "audit.")
ROLES = ("anonymous", "owner", "resident", "trainer", "staff", "editor", "superuser")
MORE_ROLES = ("trainer_here", "staff_here")
GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location matches `to` (a regular expression from the start, or one built from the data)."""

    to: object

    def pattern(self, d) -> str:
        return self.to(d) if callable(self.to) else self.to


@dataclass(frozen=True)
class Sees:
    """200, and the answer shows the row's `secret` (Lan's data). In a row with a secret, a plain 200 must not."""

    def __str__(self):
        return "200 showing Lan's data"


SEES = Sees()
LOGIN = Redirect(r"/accounts/login/\?next=/")
ADMIN_LOGIN = Redirect(r"/admin/login/\?next=/admin/")
ADMIN_HOME = Redirect(r"/admin/$")  # Wagtail: "You do not have permission", back to the dashboard
DJANGO_ADMIN_LOGIN = Redirect(r"/django-admin/login/\?next=/django-admin/")
HOME = Redirect(r"/$")
EN = Redirect(r"/en/$")
FORGOT = Redirect(r"/accounts/password/forgot/$")
PLAIN_LOGIN = Redirect(r"/accounts/login/$")
MY_ACCOUNT = Redirect(r"/accounts/me/$")
CHANGE_PASSWORD = Redirect(r"/accounts/password/change/$")
MINE = Redirect(r"/certificates/$")
CERTIFICATES = Redirect(r"/admin/certificates/$")
CERTIFICATE_PAGE = Redirect(r"/admin/certificates/\d+/$")
A_JOB = Redirect(r"/admin/certificates/jobs/\d+/$")
FIRST_LESSON = Redirect(lambda d: re.escape(d.lessons[0].url) + "$")
SECOND_LESSON = Redirect(lambda d: re.escape(d.lessons[1].url) + "$")
LANS_ATTEMPT = Redirect(lambda d: re.escape(page_url(d.quiz, "attempt", attempt_id=d.open_attempt.pk)) + "$")
LANS_RESULT = Redirect(lambda d: re.escape(page_url(d.quiz, "result", attempt_id=d.open_attempt.pk)) + "$")
REGISTERED = Redirect(r"/trainer/register/\d+/done/")
AN_ATTEMPT = Redirect(lambda d: re.escape(d.quiz.url) + r"attempt/[0-9a-f-]{36}/$")
A_COHORT = Redirect(r"/trainer/cohorts/\d+/members/$")
LANS_COHORT = Redirect(lambda d: re.escape(reverse("cohorts:members", args=[d.cohort.pk])) + "$")
LANS_MESSAGES = Redirect(lambda d: re.escape(reverse("cohorts:messages", args=[d.cohort.pk])) + "$")
TRAINER_HOME = Redirect(r"/trainer/$")
SESSIONS = Redirect(lambda d: re.escape(reverse("attendance:sessions", args=[d.cohort.pk])) + "$")
SHEET = Redirect(lambda d: re.escape(reverse("attendance:take", args=[d.session.pk])) + "$")
AN_IMPORT = Redirect(r"/trainer/imports/\d+/$")
THE_IMPORT = Redirect(lambda d: reverse("imports:detail", args=[d.import_job.pk]) + "$")
PASSWORD = "mat-khau-dai-123"  # everyone's, from tests.conftest.make_user
BOTH = ("vi", "en")  # an i18n-prefixed pattern: tried without a prefix and under /en/


@dataclass
class R:
    key: str
    method: str
    url: object  # callable(d) -> str
    cells: dict
    data: object = None  # dict, or callable(d, role) -> dict
    json: bool = False
    langs: tuple = ("vi",)
    secret: object = None  # callable(d) -> a text of Lan's that only SEES cells may show
    note: str = ""


def row(key, method, url, anonymous, owner, resident, trainer, staff, editor, superuser, *, data=None, json=False,
        langs=("vi",), secret=None, note="", **more):
    assert set(more) <= set(MORE_ROLES), more
    cells = dict(zip(ROLES, (anonymous, owner, resident, trainer, staff, editor, superuser), strict=True))
    return R(key, method, url, {**cells, **more}, data=data, json=json, langs=langs, secret=secret, note=note)


@dataclass
class Rule:
    """Third-party admin screens: every pattern under `prefix` whose view is not ours, tested through samples."""

    prefix: str
    reason: str
    samples: list = field(default_factory=list)


# ------------------------------------------------------------------------------------------ the URL conf's patterns

@dataclass(frozen=True)
class Pattern:
    key: str
    route: str
    view: str

    @property
    def ours(self) -> bool:
        return self.view.startswith(OURS)


def _view_name(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    target = view_class or callback
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', '?')}"


def _walk(resolver, prefix="", namespaces=()):
    for item in resolver.url_patterns:
        part = "<lang>/" if isinstance(item.pattern, LocalePrefixPattern) else str(item.pattern)
        if isinstance(item, URLResolver):
            inner = namespaces + ((item.namespace,) if item.namespace else ())
            yield from _walk(item, prefix + part, inner)
        elif isinstance(item, URLPattern):
            name = ":".join(namespaces + (item.name,)) if item.name else None
            yield Pattern(name or prefix + part, prefix + part, _view_name(item.callback))


def _page_routes():
    """Each creatable page type, and each route of a routable page (a route shadowed by an earlier one is not)."""
    for model in get_page_models():
        if not model.is_creatable:
            continue
        label = model._meta.label
        if not issubclass(model, RoutablePageMixin):
            yield Pattern(f"page {label}", f"<lang>/<{label}>/", "wagtail.views.serve")
            continue
        seen = set()
        for route in model.get_subpage_urls():
            if str(route.pattern) in seen:
                continue
            seen.add(str(route.pattern))
            yield Pattern(f"page {label} {route.name}", f"<lang>/<{label}>/{route.pattern}", label)


def url_patterns() -> dict[str, list[Pattern]]:
    found: dict[str, list[Pattern]] = {}
    for pattern in [*_walk(get_resolver()), *_page_routes()]:
        found.setdefault(pattern.key, []).append(pattern)
    return found


def covered_by_rule(pattern: Pattern) -> Rule | None:
    for rule in RULES:
        if pattern.route.startswith(rule.prefix) and not pattern.ours:
            return rule
    return None


# ------------------------------------------------------------------------------------------------------ the data

class Data:
    """Everything the URLs name, built once: Lan's account, course, attempts, certificate, a render job …"""


def build() -> Data:
    d = Data()
    quang_ninh = Province.objects.create(code="22", name="Quảng Ninh", codename="quang_ninh", division_type="tỉnh")
    ha_noi = Province.objects.create(code="01", name="Thành phố Hà Nội", codename="ha_noi",
                                     division_type="thành phố trung ương")
    ha_long = Commune.objects.create(code="06688", name="Phường Hạ Long", codename="phuong_ha_long",
                                     division_type="phường", province=quang_ninh)
    bai_chay = Commune.objects.create(code="06673", name="Phường Bãi Cháy", codename="phuong_bai_chay",
                                      division_type="phường", province=quang_ninh)
    hoan_kiem = Commune.objects.create(code="00070", name="Phường Hoàn Kiếm", codename="phuong_hoan_kiem",
                                       division_type="phường", province=ha_noi)
    d.province = quang_ninh
    certificate_rights = [Permission.objects.get(codename="access_admin"),
                          Permission.objects.get(codename="change_certificate")]

    d.people = {
        "owner": make_user(username="lan", full_name="Nguyễn Thị Lan", phone="+84912000101", commune=ha_long,
                           year_of_birth=1962),
        "resident": make_user(username="mai", full_name="Phạm Thị Mai", phone="+84912000103", commune=bai_chay),
        "trainer": make_user(username="tam", full_name="Lê Văn Tâm", phone="+84912000009"),
        "staff": make_user(username="staff_hn", full_name="Sở Hà Nội", staff_province=ha_noi, is_staff=True),
        "editor": make_user(username="editor", full_name="Biên Tập Viên", email="editor@example.org", is_staff=True),
        "superuser": make_user(username="admin", full_name="Quản Trị", email="admin@example.org", is_staff=True,
                               is_superuser=True),
        "trainer_here": make_user(username="minh", full_name="Vũ Quang Minh", phone="+84912000002"),
        "staff_here": make_user(username="staff_qn", full_name="Đỗ Thu Hà", staff_province=quang_ninh,
                                is_staff=True),
    }
    people = d.people
    people["trainer"].trainer_communes.add(hoan_kiem)
    people["trainer_here"].trainer_communes.add(ha_long)
    people["staff"].user_permissions.add(*certificate_rights)
    people["staff_here"].user_permissions.add(*certificate_rights)
    people["editor"].groups.add(Group.objects.get(name="Editors"))
    d.lan = lan = people["owner"]

    record_consents(user=lan, purposes=["learning", "certification"], method="online", recorded_by=lan)
    d.course = make_course("Phòng tránh lừa đảo trực tuyến", lessons=2)
    d.catalogue = CourseIndexPage.objects.get()
    d.lessons = lessons_of(d.course)
    d.quiz = make_quiz(d.course, title="Bài kiểm tra", slug="kiem-tra")
    course_services.enroll(learner=lan, course=d.course)
    for lesson in d.lessons:
        course_services.complete_lesson(learner=lan, lesson=lesson)
    d.handed_in, _ = quiz_services.start_attempt(learner=lan, quiz=d.quiz)
    quiz_services.submit_attempt(learner=lan, attempt_id=d.handed_in.pk, answers=right_answers(d.quiz))
    d.open_attempt, _ = quiz_services.start_attempt(learner=lan, quiz=d.quiz)
    d.certificate = Certificate.objects.filter(learner=lan).first() or issue_certificate(learner=lan,
                                                                                       course=d.course)[0]
    storage = d.certificate.pdf.storage
    name = d.certificate.pdf_name()
    if storage.exists(name):
        storage.delete(name)
    d.certificate.pdf.name = storage.save(name, ContentFile(b"%PDF-1.4\n%matrix\n"))
    d.certificate.pdf_rendered_at = timezone.now()
    d.certificate.save()
    d.job = RenderJob.objects.create(course_key=d.course.translation_key, course_title=d.course.title,
                                     requested_by=people["staff_here"], total=1, done=1, finished_at=timezone.now())

    # Lan's class: a cohort of Hạ Long run by trainer_here, following the course, with one session.
    d.cohort = Cohort.objects.create(commune=ha_long, name="Lớp sáng thứ Ba", created_by=people["trainer_here"])
    d.cohort.trainers.add(people["trainer_here"])
    CohortCourse.objects.create(cohort=d.cohort, course_key=d.course.translation_key)
    add_member(cohort=d.cohort, learner=lan, added_by=people["trainer_here"])
    d.session = ClassSession.objects.create(cohort=d.cohort, date=timezone.localdate(), topic="Nhận diện lừa đảo",
                                            created_by=people["trainer_here"])
    # An import trainer_here previewed (Lan already registered, by her phone), waiting for confirmation.
    d.import_job = ImportJob.objects.create(uploaded_by=people["trainer_here"], commune=ha_long, cohort=d.cohort,
                                            filename="danh-sach.xlsx", status="previewed", total=1, existing=1,
                                            to_import=1)
    ImportRow.objects.create(job=d.import_job, number=2, full_name=lan.full_name, phone=lan.phone,
                             status="existing", learner=lan)

    d.home = HomePage.objects.first()
    d.private_page = d.home.add_child(instance=HomePage(title="Trang riêng", slug="trang-rieng"))
    d.page_restriction = PageViewRestriction.objects.create(page=d.private_page, restriction_type="password",
                                                            password="mat-khau")
    d.document = Document.objects.create(title="Hướng dẫn", file=ContentFile(b"%PDF-1.4\n", name="huong-dan.pdf"))
    private = Collection.get_first_root_node().add_child(name="Riêng")
    d.document_restriction = CollectionViewRestriction.objects.create(collection=private, restriction_type="password",
                                                                      password="mat-khau")
    return d


def page_url(page, route=None, **kwargs) -> str:
    url = page.url
    return url + page.reverse_subpage(route, kwargs=kwargs) if route else url


def an_upload(d, role):
    """A one-row list for Hạ Long and Lan's cohort, the consent confirmed."""
    from imports.spreadsheet import HEADERS

    lines = [",".join(HEADERS.values()), "Trần Văn Bình,0912111222,1958,Nam,ha long,Có"]
    upload = SimpleUploadedFile("danh-sach.csv", "\r\n".join(lines).encode())
    return {"file": upload, "commune": d.lan.commune_id, "cohort": d.cohort.pk, "consent_learning": "on"}


def answers_of(d, role):
    return {f"q-{key}": value for key, value in right_answers(d.quiz).items()}


# -------------------------------------------------------------------------------------------------- the matrix
# Columns: key, method, url, then anonymous, owner (Lan), resident (other commune), trainer (other commune),
# staff (other province), editor, superuser; then owner-side roles by name.

MATRIX = [
    # ---- site chrome, places
    row("healthz", GET, lambda d: "/healthz", 200, 200, 200, 200, 200, 200, 200),
    row("set_language", POST, lambda d: reverse("set_language"), EN, EN, EN, EN, EN, EN, EN,
        data={"language": "en", "next": "/"}),
    row("places:province_communes", GET, lambda d: reverse("places:province_communes", args=[d.province.code]),
        200, 200, 200, 200, 200, 200, 200),
    row("places:commune_search", GET, lambda d: reverse("places:commune_search") + "?q=H%E1%BA%A1", 200, 200, 200,
        200, 200, 200, 200),

    # ---- accounts: ours
    row("account_signup", GET, lambda d: reverse("account_signup"), 200, HOME, HOME, HOME, HOME, HOME, HOME),
    row("account_login", GET, lambda d: reverse("account_login"), 200, HOME, HOME, HOME, HOME, HOME, HOME),
    row("account_verify_phone", GET, lambda d: reverse("account_verify_phone"), PLAIN_LOGIN, MY_ACCOUNT,
        MY_ACCOUNT, MY_ACCOUNT, MY_ACCOUNT, MY_ACCOUNT, MY_ACCOUNT,
        note="no code is waiting; changing one's number is not a flow of the product"),
    row("account_change_password", GET, lambda d: reverse("account_change_password"), LOGIN, 200, 200, 200, 200,
        200, 200),
    row("password_reset_sms", GET, lambda d: reverse("password_reset_sms"), 200, 200, 200, 200, 200, 200, 200),
    row("password_reset_sms_confirm", GET, lambda d: reverse("password_reset_sms_confirm"), FORGOT, FORGOT, FORGOT,
        FORGOT, FORGOT, FORGOT, FORGOT, note="without a code asked for first"),
    row("my_account", GET, lambda d: reverse("my_account"), LOGIN, 200, 200, 200, 200, 200, 200),
    row("download_my_data", GET, lambda d: reverse("download_my_data"), LOGIN, SEES, 200, 200, 200, 200, 200,
        trainer_here=200, staff_here=200, secret=lambda d: d.lan.phone, note="each downloads only their own data"),
    row("delete_my_account", GET, lambda d: reverse("delete_my_account"), LOGIN, 200, 200, 200, 200, 200, 200),
    row("delete_my_account", POST, lambda d: reverse("delete_my_account"), LOGIN, HOME, HOME, HOME, HOME, HOME,
        HOME, data={"password": PASSWORD}, note="each deletes their own account, never someone else's"),
    row("learner_list", GET, lambda d: reverse("learner_list") + f"?commune={d.lan.commune_id}", LOGIN, 403, 403,
        403, 403, 403, 200, trainer_here=200, staff_here=200, note="filtered to Lan's commune"),
    row("learner_list", GET, lambda d: reverse("learner_list"), LOGIN, 403, 403, 200, 200, 403, SEES,
        trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("learner_detail", GET, lambda d: reverse("learner_detail", args=[d.lan.pk]), LOGIN, 200, 404, 404, 404,
        404, 200, trainer_here=200, staff_here=200),
    row("privacy", GET, lambda d: reverse("privacy"), 200, 200, 200, 200, 200, 200, 200),

    # ---- accounts: allauth's
    row("account_logout", GET, lambda d: reverse("account_logout"), HOME, 200, 200, 200, 200, 200, 200),
    row("account_logout", POST, lambda d: reverse("account_logout"), HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    row("account_inactive", GET, lambda d: reverse("account_inactive"), 200, 200, 200, 200, 200, 200, 200),
    row("account_set_password", GET, lambda d: reverse("account_set_password"), LOGIN, CHANGE_PASSWORD,
        CHANGE_PASSWORD, CHANGE_PASSWORD, CHANGE_PASSWORD, CHANGE_PASSWORD, CHANGE_PASSWORD,
        note="everyone here has a password already"),
    row("account_reset_password", GET, lambda d: reverse("account_reset_password"), 200, 200, 200, 200, 200, 200,
        200),
    row("account_reset_password_done", GET, lambda d: reverse("account_reset_password_done"), 200, 200, 200, 200,
        200, 200, 200),
    row("account_reset_password_from_key", GET,
        lambda d: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-real-key"}),
        200, 200, 200, 200, 200, 200, 200, note="a wrong key for Lan's account: the 'bad link' page"),
    row("account_reset_password_from_key_done", GET, lambda d: reverse("account_reset_password_from_key_done"),
        200, 200, 200, 200, 200, 200, 200),

    # ---- the API
    row("api-v1:openapi-json", GET, lambda d: "/api/v1/openapi.json", 200, 200, 200, 200, 200, 200, 200),
    row("api-v1:openapi-view", GET, lambda d: "/api/v1/docs", 200, 200, 200, 200, 200, 200, 200),
    row("api-v1:api-root", GET, lambda d: "/api/v1/", 404, 404, 404, 404, 404, 404, 404),
    row("api/v1/", GET, lambda d: "/api/v1/no-such-thing", 404, 404, 404, 404, 404, 404, 404,
        note="the API's catch-all"),
    row("api-v1:my_courses", GET, lambda d: "/api/v1/me/courses", 401, SEES, 200, 200, 200, 200, 200,
        trainer_here=200, staff_here=200, secret=lambda d: d.course.url, note="only Lan is enrolled"),
    row("api-v1:start_attempt", POST, lambda d: f"/api/v1/quizzes/{d.quiz.pk}/attempts", 401, 200, 201, 201, 201,
        201, 201, json=True, note="Lan resumes her open attempt, the others start their own"),
    row("api-v1:get_attempt", GET, lambda d: f"/api/v1/attempts/{d.handed_in.pk}", 401, 200, 404, 404, 404, 404,
        404, trainer_here=404, staff_here=404),
    row("api-v1:submit_attempt", POST, lambda d: f"/api/v1/attempts/{d.open_attempt.pk}/submit", 401, 200, 404,
        404, 404, 404, 404, trainer_here=404, staff_here=404, json=True,
        data=lambda d, role: {"answers": right_answers(d.quiz)}),

    # ---- certificates
    row("my_certificates", GET, lambda d: reverse("my_certificates"), LOGIN, SEES, 200, 200, 200, 200, 200,
        trainer_here=200, staff_here=200, secret=lambda d: d.certificate.serial),
    row("certificate_consent", POST, lambda d: reverse("certificate_consent"), LOGIN, MINE, MINE, MINE, MINE, MINE,
        MINE, data={"agree": "1"}),
    row("certificate_download", GET, lambda d: reverse("certificate_download", args=[d.certificate.pk]), 404, 200,
        404, 404, 404, 404, 200, trainer_here=200, staff_here=200),
    row("certificate_verify", GET, lambda d: reverse("certificate_verify", args=[d.certificate.code]), 200, 200, 200,
        200, 200, 200, 200),

    # ---- courses, quizzes and the other pages of the page tree
    row("my_learning", GET, lambda d: reverse("my_learning"), LOGIN, SEES, 200, 200, 200, 200, 200,
        trainer_here=200, staff_here=200, langs=BOTH, secret=lambda d: d.course.title),
    row("page cms.HomePage", GET, lambda d: d.home.url, 200, 200, 200, 200, 200, 200, 200),
    row("page courses.CourseIndexPage", GET, lambda d: d.catalogue.url, 200, 200, 200, 200, 200, 200, 200),
    row("page courses.CoursePage index_route", GET, lambda d: d.course.url, 200, 200, 200, 200, 200, 200, 200),
    row("page courses.CoursePage enrol", POST, lambda d: page_url(d.course, "enrol"), LOGIN, FIRST_LESSON,
        FIRST_LESSON, FIRST_LESSON, FIRST_LESSON, FIRST_LESSON, FIRST_LESSON),
    row("page courses.LessonPage read", GET, lambda d: d.lessons[0].url, 200, 200, 200, 200, 200, 200, 200),
    row("page courses.LessonPage done", POST, lambda d: page_url(d.lessons[0], "done"), LOGIN, SECOND_LESSON,
        SECOND_LESSON, SECOND_LESSON, SECOND_LESSON, SECOND_LESSON, SECOND_LESSON, note="each marks their own lesson"),
    row("page quizzes.QuizPage index", GET, lambda d: d.quiz.url, 200, 200, 200, 200, 200, 200, 200),
    row("page quizzes.QuizPage start", POST, lambda d: page_url(d.quiz, "start"), LOGIN, LANS_ATTEMPT, AN_ATTEMPT,
        AN_ATTEMPT, AN_ATTEMPT, AN_ATTEMPT, AN_ATTEMPT),
    row("page quizzes.QuizPage attempt", GET, lambda d: page_url(d.quiz, "attempt", attempt_id=d.open_attempt.pk),
        LOGIN, 200, 404, 404, 404, 404, 404, trainer_here=404, staff_here=404),
    row("page quizzes.QuizPage attempt", POST, lambda d: page_url(d.quiz, "attempt", attempt_id=d.open_attempt.pk),
        LOGIN, LANS_RESULT, 404, 404, 404, 404, 404, trainer_here=404, staff_here=404, data=answers_of),
    row("page quizzes.QuizPage result", GET, lambda d: page_url(d.quiz, "result", attempt_id=d.handed_in.pk),
        LOGIN, 200, 404, 404, 404, 404, 404, trainer_here=404, staff_here=404),
    row("wagtail_serve", GET, lambda d: reverse("wagtail_serve", args=["khong-co-trang-nay/"]), 404, 404, 404, 404,
        404, 404, 404, langs=BOTH,
        note="a path with no page"),
    row("wagtailcore_authenticate_with_password", GET,
        lambda d: reverse("wagtailcore_authenticate_with_password", args=[d.page_restriction.pk, d.private_page.pk]),
        200, 200, 200, 200, 200, 200, 200, langs=BOTH),
    row("wagtailcore_login", GET, lambda d: reverse("wagtailcore_login"), 200, 200, 200, 200, 200, 200, 200,
        langs=BOTH),
    row("wagtaildocs_serve", GET, lambda d: d.document.url, 200, 200, 200, 200, 200, 200, 200,
        note="a document in a public collection"),
    row("wagtaildocs_authenticate_with_password", GET,
        lambda d: reverse("wagtaildocs_authenticate_with_password", args=[d.document_restriction.pk]),
        200, 200, 200, 200, 200, 200, 200),

    # ---- the trainer's workspace: cohorts (cohorts app)
    # Rule: a workspace page without a trainer's or staff role is 403; a cohort out of reach is 404, and so is
    # every change by provincial staff, who read their province's cohorts (GET 200) but change none.
    row("cohorts:home", GET, lambda d: reverse("cohorts:home"), LOGIN, 403, 403, 200, 200, 403, SEES,
        trainer_here=SEES, staff_here=SEES, secret=lambda d: d.cohort.name),
    row("cohorts:create", GET, lambda d: reverse("cohorts:create"), LOGIN, 403, 403, 200, 403, 403, 200,
        trainer_here=200, staff_here=403, note="staff run no classes"),
    row("cohorts:create", POST, lambda d: reverse("cohorts:create"), LOGIN, 403, 403, 400, 403, 403, A_COHORT,
        trainer_here=A_COHORT, staff_here=403,
        data=lambda d, role: {"name": "Lớp mới", "commune": d.cohort.commune_id},
        note="in Hạ Long: outside the other trainer's area, a form error"),
    row("cohorts:edit", GET, lambda d: reverse("cohorts:edit", args=[d.cohort.pk]), LOGIN, 404, 404, 404, 404, 404,
        200, trainer_here=200, staff_here=404),
    row("cohorts:edit", POST, lambda d: reverse("cohorts:edit", args=[d.cohort.pk]), LOGIN, 404, 404, 404, 404,
        404, LANS_COHORT, trainer_here=LANS_COHORT, staff_here=404,
        data=lambda d, role: {"name": "Lớp đổi tên", "commune": d.cohort.commune_id}),
    row("cohorts:members", GET, lambda d: reverse("cohorts:members", args=[d.cohort.pk]) + "?q=lan", LOGIN, 404,
        404, 404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("cohorts:add_member", POST, lambda d: reverse("cohorts:add_member", args=[d.cohort.pk]), LOGIN, 404, 404,
        404, 404, 404, LANS_COHORT, trainer_here=LANS_COHORT, staff_here=404,
        data=lambda d, role: {"learner": d.lan.pk}, note="Lan is a member already: nothing changes"),
    row("cohorts:remove_member", POST, lambda d: reverse("cohorts:remove_member", args=[d.cohort.pk, d.lan.pk]),
        LOGIN, 404, 404, 404, 404, 404, LANS_COHORT, trainer_here=LANS_COHORT, staff_here=404),
    row("cohorts:archive", POST, lambda d: reverse("cohorts:archive", args=[d.cohort.pk]), LOGIN, 404, 404, 404,
        404, 404, TRAINER_HOME, trainer_here=TRAINER_HOME, staff_here=404),
    row("cohorts:messages", GET, lambda d: reverse("cohorts:messages", args=[d.cohort.pk]), LOGIN, 404, 404, 404,
        404, 404, 200, trainer_here=200, staff_here=200),
    row("cohorts:messages", POST, lambda d: reverse("cohorts:messages", args=[d.cohort.pk]), LOGIN, 404, 404, 404,
        404, 404, LANS_MESSAGES, trainer_here=LANS_MESSAGES, staff_here=404,
        data={"text": "Lớp học sáng mai 8:00 tại nhà văn hoá khu 3"}),
    row("cohorts:mine", GET, lambda d: reverse("cohorts:mine"), LOGIN, SEES, 200, 200, 200, 200, 200,
        trainer_here=200, staff_here=200, secret=lambda d: d.cohort.name, note="only Lan is a member"),

    # ---- the trainer's workspace: the cohort report (progress app)
    row("progress:cohort_report", GET, lambda d: reverse("progress:cohort_report", args=[d.cohort.pk]), LOGIN, 404,
        404, 404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name,
        note="a member of the cohort does not read the others' progress"),
    row("progress:cohort_course", GET,
        lambda d: reverse("progress:cohort_course", args=[d.cohort.pk, d.course.translation_key]), LOGIN, 404, 404,
        404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("progress:cohort_learner", GET, lambda d: reverse("progress:cohort_learner", args=[d.cohort.pk, d.lan.pk]),
        LOGIN, 404, 404, 404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("progress:difficult_questions", GET, lambda d: reverse("progress:difficult_questions", args=[d.cohort.pk]),
        LOGIN, 404, 404, 404, 404, 404, 200, trainer_here=200, staff_here=200),
    row("progress:cohort_report_xlsx", GET, lambda d: reverse("progress:cohort_report_xlsx", args=[d.cohort.pk]),
        LOGIN, 404, 404, 404, 404, 404, 200, trainer_here=200, staff_here=200),
    row("progress:cohort_report_csv", GET, lambda d: reverse("progress:cohort_report_csv", args=[d.cohort.pk]),
        LOGIN, 404, 404, 404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),

    # ---- the trainer's workspace: class sessions and attendance (attendance app)
    # Readers (the commune's trainers, the province's staff) see the pages; only the commune's trainers change
    # anything or show the check-in code (staff: 404); members use the check-in link, nothing else of these.
    row("attendance:sessions", GET, lambda d: reverse("attendance:sessions", args=[d.cohort.pk]), LOGIN, 404, 404,
        404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.session.topic),
    row("attendance:sessions", POST, lambda d: reverse("attendance:sessions", args=[d.cohort.pk]), LOGIN, 404,
        404, 404, 404, 404, SESSIONS, trainer_here=SESSIONS, staff_here=404,
        data={"date": "2026-12-08", "topic": "Zalo an toàn"}),
    row("attendance:take", GET, lambda d: reverse("attendance:take", args=[d.session.pk]), LOGIN, 404, 404, 404,
        404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("attendance:take", POST, lambda d: reverse("attendance:take", args=[d.session.pk]), LOGIN, 404, 404, 404,
        404, 404, SHEET, trainer_here=SHEET, staff_here=404, data=lambda d, role: {f"m{d.lan.pk}": "absent"}),
    row("attendance:qr", GET, lambda d: reverse("attendance:qr", args=[d.session.pk]), LOGIN, 404, 404, 404, 404,
        404, 200, trainer_here=200, staff_here=404, note="the code lets people mark themselves: changers only"),
    row("attendance:check_in", GET, lambda d: reverse("attendance:check_in", args=[make_token(d.session.pk)]),
        LOGIN, 200, 403, 403, 403, 403, 403, trainer_here=403, staff_here=403,
        note="a current code of Lan's class: only its members check in"),
    row("attendance:report", GET, lambda d: reverse("attendance:report", args=[d.cohort.pk]), LOGIN, 404, 404,
        404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),
    row("attendance:report_xlsx", GET, lambda d: reverse("attendance:report_xlsx", args=[d.cohort.pk]), LOGIN,
        404, 404, 404, 404, 404, 200, trainer_here=200, staff_here=200),
    row("attendance:report_csv", GET, lambda d: reverse("attendance:report_csv", args=[d.cohort.pk]), LOGIN, 404,
        404, 404, 404, 404, SEES, trainer_here=SEES, staff_here=SEES, secret=lambda d: d.lan.full_name),

    # ---- the trainer's workspace: registering residents, login cards (registration app)
    # The registration pages are for the trainers of a commune (403 to others); a learner or cohort out of the
    # viewer's communes does not exist for them (404): provincial staff read their province but register nobody.
    row("registration:register", GET, lambda d: reverse("registration:register"), LOGIN, 403, 403, 200, 403, 403,
        200, trainer_here=200, staff_here=403),
    row("registration:register", POST, lambda d: reverse("registration:register"), LOGIN, 403, 403, 400, 403, 403,
        REGISTERED, trainer_here=REGISTERED, staff_here=403, data=lambda d, role: {
            "full_name": "Trần Văn Bình", "phone": "0912 345 678", "year_of_birth": "1958",
            "commune": d.lan.commune_id, "cohort": d.cohort.pk, "consent_learning": "on"},
        note="a resident of Hạ Long into Lan's class: the other trainer may not choose that commune"),
    row("registration:add_existing", POST, lambda d: reverse("registration:add_existing"), LOGIN, 403, 403, 404,
        403, 403, REGISTERED, trainer_here=REGISTERED, staff_here=403,
        data=lambda d, role: {"learner": d.lan.pk, "cohort": d.cohort.pk}),
    row("registration:registered", GET, lambda d: reverse("registration:registered", args=[d.lan.pk]), LOGIN, 403,
        403, 404, 403, 403, SEES, trainer_here=SEES, staff_here=403, secret=lambda d: d.lan.full_name),
    row("registration:card", GET, lambda d: reverse("registration:card", args=[d.lan.pk]), LOGIN, 404, 404, 404,
        404, 404, 200, trainer_here=200, staff_here=404),
    row("registration:card", POST, lambda d: reverse("registration:card", args=[d.lan.pk]), LOGIN, 404, 404, 404,
        404, 404, 200, trainer_here=200, staff_here=404, note="the PDF of Lan's new card"),
    row("registration:cohort_cards", GET, lambda d: reverse("registration:cohort_cards", args=[d.cohort.pk]),
        LOGIN, 404, 404, 404, 404, 404, 200, trainer_here=200, staff_here=404),
    row("registration:cohort_cards", POST, lambda d: reverse("registration:cohort_cards", args=[d.cohort.pk]),
        LOGIN, 404, 404, 404, 404, 404, 200, trainer_here=200, staff_here=404, data={"who": "all"},
        note="the PDF of the class's cards"),
    row("registration:card_login", GET, lambda d: reverse("registration:card_login"), 200, 200, 200, 200, 200, 200,
        200),
    row("registration:card_login", POST, lambda d: reverse("registration:card_login"), 400, 400, 400, 400, 400,
        400, 400, data={"code": "HL7K2M-482915"}, note="a code of no card"),

    # ---- the trainer's workspace: importing residents (imports app)
    row("imports:template", GET, lambda d: reverse("imports:template"), LOGIN, 403, 403, 200, 403, 403, 200,
        trainer_here=200, staff_here=403, note="trainers only: provincial staff read, they do not register"),
    row("imports:upload", GET, lambda d: reverse("imports:upload") + f"?cohort={d.cohort.pk}", LOGIN, 403, 403,
        200, 403, 403, 200, trainer_here=200, staff_here=403),
    row("imports:upload", POST, lambda d: reverse("imports:upload"), LOGIN, 403, 403, 400, 403, 403, AN_IMPORT,
        trainer_here=AN_IMPORT, staff_here=403, data=an_upload,
        note="Hà Nội's trainer may not choose Hạ Long (400, nothing saved)"),
    row("imports:detail", GET, lambda d: reverse("imports:detail", args=[d.import_job.pk]), LOGIN, 404, 404, 404,
        404, 404, SEES, trainer_here=SEES, staff_here=404, secret=lambda d: d.lan.full_name,
        note="only its uploader (and superusers): not even the commune's staff"),
    row("imports:confirm", POST, lambda d: reverse("imports:confirm", args=[d.import_job.pk]), LOGIN, 404, 404,
        404, 404, 404, THE_IMPORT, trainer_here=THE_IMPORT, staff_here=404),

    # ---- our screens inside the Wagtail admin
    row("certificates_admin:index", GET, lambda d: reverse("certificates_admin:index"), ADMIN_LOGIN, ADMIN_LOGIN,
        ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_HOME, SEES, staff_here=SEES, secret=lambda d: d.certificate.serial),
    row("certificates_admin:index", GET, lambda d: reverse("certificates_admin:index"), ADMIN_LOGIN, ADMIN_LOGIN,
        ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_HOME, SEES, staff_here=SEES,
        secret=lambda d: reverse("certificates_admin:job", args=[d.job.pk]), note="the recent jobs: the asker's"),
    row("certificates_admin:detail", GET, lambda d: reverse("certificates_admin:detail", args=[d.certificate.pk]),
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, ADMIN_HOME, 200, staff_here=200),
    row("certificates_admin:detail", POST, lambda d: reverse("certificates_admin:detail", args=[d.certificate.pk]),
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, ADMIN_HOME, CERTIFICATE_PAGE,
        staff_here=CERTIFICATE_PAGE, data={"action": "revoke", "reason": "Thử quyền"}),
    row("certificates_admin:detail", POST, lambda d: reverse("certificates_admin:detail", args=[d.certificate.pk]),
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, ADMIN_HOME, A_JOB, staff_here=A_JOB,
        data={"action": "rerender_course"}),
    row("certificates_admin:rerender_course", POST, lambda d: reverse("certificates_admin:rerender_course"),
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, CERTIFICATES, ADMIN_HOME, A_JOB, staff_here=A_JOB,
        data=lambda d, role: {"course": str(d.course.translation_key)},
        note="Hà Nội's staff has no certificate of Lan's course in their area"),
    row("certificates_admin:job", GET, lambda d: reverse("certificates_admin:job", args=[d.job.pk]), ADMIN_LOGIN,
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, ADMIN_HOME, 200, staff_here=200,
        note="a job of Quảng Ninh's staff: only they and superusers"),
    row("quizzes_admin:index", GET, lambda d: reverse("quizzes_admin:index"), ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN,
        ADMIN_LOGIN, 200, 200, 200),
    row("quizzes_admin:statistics", GET, lambda d: reverse("quizzes_admin:statistics", args=[d.quiz.pk]),
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_HOME, 200, 200),
]

# Wagtail's and Django's own admin screens (not our views): a few samples stand for every pattern under a prefix.
RULES = [
    Rule("admin/", "Wagtail's admin: editors and superusers in, everyone else to its login", samples=[
        row("rule admin/: dashboard", GET, lambda d: reverse("wagtailadmin_home"), ADMIN_LOGIN, ADMIN_LOGIN,
            ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200, trainer_here=ADMIN_LOGIN, staff_here=200,
            note="staff with certificate rights may enter the admin"),
        row("rule admin/: a course in the page explorer", GET,
            lambda d: reverse("wagtailadmin_explore", args=[d.course.pk]), ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN,
            ADMIN_LOGIN, ADMIN_HOME, 200, 200, staff_here=ADMIN_HOME),
        row("rule admin/: Lan in the user admin", GET, lambda d: reverse("wagtailusers_users:edit", args=[d.lan.pk]),
            ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_HOME, ADMIN_HOME, 200, staff_here=ADMIN_HOME),
        row("rule admin/: documents", GET, lambda d: reverse("wagtaildocs:index"), ADMIN_LOGIN, ADMIN_LOGIN,
            ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_HOME, 200, 200),
    ]),
    Rule("django-admin/", "Django's admin: superusers; staff only what their permissions allow", samples=[
        row("rule django-admin/: index", GET, lambda d: reverse("admin:index"), DJANGO_ADMIN_LOGIN,
            DJANGO_ADMIN_LOGIN, DJANGO_ADMIN_LOGIN, DJANGO_ADMIN_LOGIN, 200, 200, 200,
            note="staff status opens the index, which lists only what one may see"),
        row("rule django-admin/: Lan's user record", GET,
            lambda d: reverse("admin:accounts_user_change", args=[d.lan.pk]), DJANGO_ADMIN_LOGIN,
            DJANGO_ADMIN_LOGIN, DJANGO_ADMIN_LOGIN, DJANGO_ADMIN_LOGIN, 403, 403, 200, staff_here=403),
    ]),
]


# --------------------------------------------------------------------------------------------------- the tests

def test_every_pattern_has_a_row():
    patterns = url_patterns()
    rows = {entry.key for entry in MATRIX}
    missing = sorted(
        f"{key}  (route {patterns[key][0].route}, view {patterns[key][0].view})"
        for key in patterns
        if key not in rows and not all(covered_by_rule(pattern) for pattern in patterns[key])
    )
    stale = sorted(key for key in rows if key not in patterns)
    problems = [f"pattern without a row: {item}" for item in missing]
    problems += [f"row whose pattern no longer exists: {key}" for key in stale]
    problems += [f"rule that covers no pattern any more: {rule.prefix}" for rule in RULES
                 if not any(covered_by_rule(pattern) is rule for group in patterns.values() for pattern in group)]
    assert not problems, "\n".join(["", *problems, "Add or remove rows in MATRIX (tests/test_permission_matrix.py)."])


class PermissionMatrixTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.d = build()
        cls.cookies = {}
        for role, person in cls.d.people.items():
            client = Client()
            client.force_login(person)
            cls.cookies[role] = client.cookies.output(header="", sep=";")

    @classmethod
    def tearDownClass(cls):
        cls.d.document.file.delete(save=False)
        super().tearDownClass()

    def client_for(self, role) -> Client:
        client = Client()
        if role != "anonymous":
            client.cookies = SimpleCookie(self.cookies[role])
        return client

    def answer(self, entry: R, role: str, lang: str):
        cache.clear()  # rate limits and cached sessions start afresh in every cell
        client = self.client_for(role)
        with translation.override(lang):
            url = entry.url(self.d)
        data = entry.data(self.d, role) if callable(entry.data) else entry.data
        with transaction.atomic():
            if entry.method == POST:
                extra = {"content_type": "application/json"} if entry.json else {}
                response = client.post(url, data or {}, **extra)
            else:
                response = client.get(url, data or {})
            transaction.set_rollback(True)
        return url, response

    def check(self, entry: R, role: str, expected, lang: str):
        url, response = self.answer(entry, role, lang)
        got = response.status_code
        location = response.get("Location", "")
        if isinstance(expected, Redirect):
            wanted = expected.pattern(self.d)
            if got == 302 and re.match(wanted, location):
                return None
            expected = f"302 → {wanted}"
        elif entry.secret and (isinstance(expected, Sees) or expected == 200):
            shown = got == 200 and entry.secret(self.d) in response.content.decode()
            if got == 200 and shown == isinstance(expected, Sees):
                return None
            if got == 200:
                got = "200 showing Lan's data" if shown else "200 without Lan's data"
        elif got == expected:
            return None
        seen = f"{got} → {location}" if location else str(got)
        return f"{entry.key} | {entry.method} {url} | {role}: expected {expected}, got {seen}"

    def test_matrix(self):
        dump = os.environ.get("MATRIX_DUMP")
        failures = []
        for entry in MATRIX + [sample for rule in RULES for sample in rule.samples]:
            for lang in entry.langs:
                if dump:  # MATRIX_DUMP=1: print what every role gets, to write or review a row
                    cells = []
                    for role in (*ROLES, *MORE_ROLES):
                        url, response = self.answer(entry, role, lang)
                        cells.append(f"{role}={response.status_code}{' ' + response.get('Location', '')}")
                    print(entry.key, entry.method, url, " | ".join(cells))
                    continue
                for role, expected in entry.cells.items():
                    failure = self.check(entry, role, expected, lang)
                    if failure:
                        failures.append(failure)
        assert not failures, "\n".join(["", *failures])
