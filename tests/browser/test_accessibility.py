"""WCAG 2.1 A/AA (axe-core) on the learner's pages at 360 px, and no sideways scrolling with text at 200%.

axe-core comes from npm (package.json, pinned by package-lock.json; `npm ci` installs it) and is
injected into the page from node_modules: nothing is fetched while the tests run.
"""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from courses import services
from courses.models import LessonPage
from courses.services import ensure_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 360


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in the repository root (make test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def fast_pictures(monkeypatch, settings, tmp_path):
    """Demo pictures in a temporary folder, AVIF at Pillow's fastest speed: pages are under test, not the encoder."""
    settings.MEDIA_ROOT = tmp_path
    PILImage.init()
    save = PILImage.SAVE.get("AVIF")
    if save is not None:
        def fast(image, fp, filename, *args, **kwargs):
            image.encoderinfo.setdefault("speed", 10)
            return save(image, fp, filename, *args, **kwargs)

        monkeypatch.setitem(PILImage.SAVE, "AVIF", fast)


@pytest.fixture
def demo_courses(fast_pictures):
    from courses.demo import build_demo_courses

    ensure_catalogue()
    return build_demo_courses()


def richest_lesson(course) -> LessonPage:
    """The lesson that uses the most kinds of block (pictures, steps, video, audio, checklist...)."""
    lessons = LessonPage.objects.child_of(course).live().order_by("path")
    return max(lessons, key=lambda lesson: len({block.block_type for block in lesson.body}))


def axe_violations(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n" + "\n".join(
            f"    {node['target']} {node['html'][:160]}" for node in violation["nodes"][:5]
        )
        for violation in results["violations"]
    ]


def sideways_scroll_at_double_text(page) -> dict | None:
    """Double the text size as a phone's text-size setting does (twice the site's own root size): any overflow?"""
    return page.evaluate("""() => {
        const root = document.documentElement;
        root.style.fontSize = (2 * parseFloat(getComputedStyle(root).fontSize)) + 'px';
        const width = root.scrollWidth;
        const edge = root.clientWidth + 1;
        const tooWide = el => el.getBoundingClientRect().right > edge || el.scrollWidth > el.clientWidth + 1;
        const wide = [...document.querySelectorAll('body *')].filter(tooWide)
            .slice(-5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        root.style.fontSize = '';
        return width > root.clientWidth ? {scrollWidth: width, clientWidth: root.clientWidth, wide} : null;
    }""")


def check_page(page, url: str, axe_source: str) -> list[str]:
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert urlparse(page.url).path == urlparse(url).path, f"{url} sent the browser to {page.url}"
    problems = [f"{url}: {violation}" for violation in axe_violations(page, axe_source)]
    overflow = sideways_scroll_at_double_text(page)
    if overflow:
        problems.append(f"{url}: scrolls sideways at 200% text on a {PHONE_WIDTH} px screen: {json.dumps(overflow)}")
    return problems


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("0912 000 101")
    page.locator("#id_password").fill("mat-khau-dai-123")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("nav.site form button[type=submit]")).to_be_visible()  # "Log out": logged in


def test_learner_pages_meet_wcag_21_aa_and_reflow_at_200_percent_text(
    live_server, people, demo_courses, phone_page, axe_source
):
    page = phone_page
    assert page.viewport_size["width"] == PHONE_WIDTH
    scams = demo_courses[0]
    lessons = list(LessonPage.objects.child_of(scams).live().order_by("path"))
    lesson, first = richest_lesson(scams), lessons[0]
    services.enroll(learner=people["lan"], course=scams)
    for earlier in lessons[: lessons.index(lesson)]:  # the course is learned in order: open the lesson
        services.complete_lesson(learner=people["lan"], lesson=earlier)

    problems = []
    # As a visitor: the enrol button and the "log in to keep your progress" card.
    problems += check_page(page, live_server.url + scams.url, axe_source)
    problems += check_page(page, live_server.url + first.url, axe_source)
    # As the resident: the four pages of the issue.
    log_in(page, live_server)
    for url in (ensure_catalogue().url, scams.url, lesson.url, reverse("my_learning")):
        problems += check_page(page, live_server.url + url, axe_source)
    assert not problems, "\n".join(problems)
