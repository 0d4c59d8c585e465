"""A headless Debian chromium (never a downloaded browser) and a phone-sized page."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium (make test does)")
    # Playwright's sync API keeps an event loop running in this thread while it is open, which
    # Django takes for async code; the tests' own ORM calls are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone_page(browser):
    """A 360 px wide page, like a cheap Android phone, in Vietnamese."""
    context = browser.new_context(
        viewport={"width": 360, "height": 760}, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="vi-VN",
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 760}, java_script_enabled=False,
                                  locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _let_the_live_server_settle():
    """In tests the live server's threads share one SQLite connection with the test: a request the browser sent
    just before its page closed may still be answered while the next test resets the database, and the two meet
    on that connection ("no such savepoint"). A moment after each browser test lets such a request finish."""
    yield
    import time

    time.sleep(1.5)
