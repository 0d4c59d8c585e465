"""Debian's chromium opens public pages and admin screens under the real CSP and fails on any violation."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from courses.demo import build_demo_courses
from courses.models import LessonPage
from courses.services import ensure_catalogue
from quizzes.models import QuizPage
from quizzes.testing import make_quiz
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script: every violation the browser reports is kept on the window.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched_page(browser):
    """A desktop-sized page that records CSP violations, as events and as the console errors chromium writes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
            and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))  # a script broken by the policy
    yield page
    context.close()


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url  # the policy is really there
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # violations are reported asynchronously
    problems = page.evaluate("window.__violations") + page.console_errors
    page.console_errors.clear()
    return problems


def log_in_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.fixture
def site_content(settings, tmp_path, people):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()
    courses = build_demo_courses()
    lesson = max(LessonPage.objects.live(), key=lambda lesson: len({block.block_type for block in lesson.body}))
    quiz = QuizPage.objects.live().first() or make_quiz(courses[0])
    certificate = Certificate.objects.create(
        serial="QN-2025-000001", code="ABCD2345", learner=people["lan"], course_key=courses[0].translation_key,
        course_title=courses[0].title, full_name=people["lan"].full_name, completed_at="2025-08-01T10:00:00Z",
    )
    return {"lesson": lesson, "quiz": quiz, "certificate": certificate}


def test_public_pages_run_under_the_strict_policy(live_server, site_content, people, watched_page):
    page = watched_page
    urls = ["/", "/accounts/signup/", "/accounts/login/", site_content["lesson"].url, "/api/v1/docs",
            reverse("certificate_verify", args=[site_content["certificate"].code])]
    problems = {url: visit(page, live_server.url + url) for url in urls}
    log_in_as(page, live_server, people["lan"])
    for url in (site_content["lesson"].url, site_content["quiz"].url, "/my-learning/", "/certificates/"):
        problems[url] = visit(page, live_server.url + url)
    assert not any(problems.values()), json.dumps(problems, indent=1, ensure_ascii=False)


def test_admin_screens_run_under_the_admin_policy(live_server, site_content, watched_page):
    admin = make_user(username="admin", email="admin@example.org", is_staff=True, is_superuser=True)
    lesson = site_content["lesson"]
    page = watched_page
    log_in_as(page, live_server, admin)
    urls = [
        "/admin/",
        f"/admin/pages/{lesson.get_parent().pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        reverse("certificates_admin:index"),
        reverse("certificates_admin:detail", args=[site_content["certificate"].pk]),
        reverse("wagtailsnippets_courses_competencedomain:list"),
        "/admin/users/",
        "/django-admin/",
        f"/django-admin/accounts/user/{admin.pk}/change/",
    ]
    problems = {url: visit(page, live_server.url + url) for url in urls}
    assert not any(problems.values()), json.dumps(problems, indent=1, ensure_ascii=False)

    # Wagtail's date pickers, started by cms/static/cms/admin-widgets.js instead of inline scripts, still work.
    visit(page, live_server.url + f"/admin/pages/{lesson.get_parent().pk}/")
    assert page.locator(".xdsoft_datetimepicker").count() >= 1



def test_inline_panels_and_choosers_work_under_the_admin_policy(live_server, site_content, watched_page):
    """Wagtail starts its inline panels and chooser widgets (a course's cover image, a redirect's page, a workflow's
    tasks) with inline scripts; cms/admin_scripts.py and cms/static/cms/admin-widgets.js start them instead."""
    admin = make_user(username="admin", email="admin@example.org", is_staff=True, is_superuser=True)
    course = site_content["lesson"].get_parent()
    page = watched_page
    log_in_as(page, live_server, admin)
    urls = [f"/admin/pages/{course.pk}/edit/", "/admin/redirects/add/", "/admin/workflows/add/"]
    problems = {url: visit(page, live_server.url + url) for url in urls}
    assert not any(problems.values()), json.dumps(problems, indent=1, ensure_ascii=False)
    forms = page.locator("#id_workflow_tasks-FORMS > *")
    before = forms.count()
    page.locator("#id_workflow_tasks-ADD").click()
    page.wait_for_timeout(300)
    assert forms.count() == before + 1
    visit(page, live_server.url + "/admin/redirects/add/")
    # The live server's threads share one SQLite connection in tests: let the page's own requests (jsi18n …)
    # finish before the chooser asks for its modal, or two requests meet on one connection on a busy machine.
    page.wait_for_load_state("networkidle")
    page.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal-dialog").first.wait_for(state="visible", timeout=5000)
