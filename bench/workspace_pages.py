"""Every page of the trainer's workspace, and a member's "my classes", on a cheap phone over 3G.

    .venv/bin/python bench/workspace_pages.py

Runs the site the way `make run` does (bench/_server.py: a temporary SQLite database, the demo data, runserver),
logs in as the demo trainer of Phường Hạ Long in Debian's chromium at 360 px, and visits every page it can
reach from /trainer/ by following links (GET only, under /trainer/ and /classes/, one page per URL shape:
/trainer/cohorts/1/ and /trainer/cohorts/2/ count as one), then "my classes" as a member of the demo class.
For each page: a cold load (HTTP cache disabled) — bytes on the wire without images, requests — and the same
load on emulated 3G (bench/lesson_page.py's conditions: 1.6 Mbit/s, 150 ms, CPU 4x slower): first contentful
paint and "usable", the first frame in which the page's h1 is laid out. Also checks that no page is wider
than the 360 px screen, and with JavaScript off that each page still shows its h1.

Budgets (the issue's): ≤ 40 KB per page without images, usable ≤ 1.5 s on 3G. The last line holds
`pages= worst_kb= worst_usable_3g_ms= worst_fcp_3g_ms= overflowing=` and the worst pages' paths.
"""

from __future__ import annotations

import re
import sys
import time
from urllib.parse import urlparse

from _server import DevSite
from lesson_page import (
    Recorder,
    chromium_launch_settings,
    cold_load,
    format_figure,
    load_on_3g,
    log_in,
    phone_context,
    say,
)

TRAINER = "+84912000002"
MEMBER = "+84912000101"  # Lan, a member of the demo class
START_PAGES = ["/trainer/"]
MEMBER_PAGES = ["/classes/"]
FOLLOW = re.compile(r"^/(trainer|classes)/")
SKIP = re.compile(r"\.(xlsx|csv|pdf)$|/qr/$")  # downloads; the QR page refreshes itself on a timer
MAX_PAGES = 40
BUDGET_KB = 40
BUDGET_USABLE_MS = 1500
USABLE_SCRIPT = """(() => {
  const frame = () => {
    const h1 = document.querySelector('main h1');
    if (h1 && h1.getBoundingClientRect().height > 0) { window.__usable = performance.now(); }
    else { requestAnimationFrame(frame); }
  };
  requestAnimationFrame(frame);
})();"""


def shape(path: str) -> str:
    """/trainer/cohorts/12/learners/34/ → /trainer/cohorts/N/learners/N/ (one measurement per kind of page)."""
    return re.sub(r"/[0-9a-f-]{36}/", "/K/", re.sub(r"/\d+/", "/N/", path))


def links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        path = urlparse(href).path
        if FOLLOW.match(path) and not SKIP.search(path):
            found.append(path)
    return found


def visit(browser, site: DevSite, phone: str, start: list[str], crawl: bool) -> list[dict]:
    context = phone_context(browser)
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, site, phone)
    page.add_init_script(USABLE_SCRIPT)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    recorder = Recorder(cdp)
    queue, seen, results = list(start), set(), []
    try:
        while queue and len(results) < MAX_PAGES:
            path = queue.pop(0)
            if shape(path) in seen:
                continue
            seen.add(shape(path))
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cold = cold_load(page, cdp, recorder, site, path)
            status = next((r.get("status") for r in recorder.all() if r["type"] == "Document"), "?")
            width = page.evaluate("document.documentElement.scrollWidth")
            found = links(page) if crawl else []
            slow = load_on_3g(page, cdp, site, path)
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
            results.append({"path": path, "status": status, "width": width, **cold, **slow})
            say(f"  {status} {path:<52} {cold['transfer_kb']:5.1f} KB, {cold['requests_excluding_images']} req, "
                f"{width} px wide; 3G: FCP {slow['fcp_3g_ms']:.0f} ms, usable {slow['usable_3g_ms']:.0f} ms")
            queue.extend(found)
    finally:
        context.close()
    return results


def without_javascript(browser, site: DevSite, phone: str, paths: list[str]) -> list[str]:
    context = phone_context(browser, java_script_enabled=False)
    page = context.new_page()
    broken = []
    try:
        log_in(page, site, phone)
        for path in paths:
            page.goto(site.url + path, timeout=30_000)
            if not page.locator("main h1").first.is_visible():
                broken.append(path)
    finally:
        context.close()
    return broken


def main() -> int:
    started = time.monotonic()
    with DevSite(log=say) as site:
        site.prepare()
        site.start()
        from playwright.sync_api import sync_playwright

        executable, args = chromium_launch_settings()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=args, timeout=60_000)
            try:
                say("the demo trainer (Vũ Quang Minh, Phường Hạ Long):")
                trainer = visit(browser, site, TRAINER, START_PAGES, crawl=True)
                say("a member of the demo class (Nguyễn Thị Lan):")
                member = visit(browser, site, MEMBER, MEMBER_PAGES, crawl=False)
                broken = without_javascript(browser, site, TRAINER, [r["path"] for r in trainer])
            finally:
                browser.close()
        site.stop()
    results = trainer + member
    failed = [r for r in results if r["status"] != 200]
    heaviest = max(results, key=lambda r: r["transfer_kb"])
    slowest = max(results, key=lambda r: r["usable_3g_ms"])
    overflowing = [r["path"] for r in results if r["width"] > 360]
    figures = {
        "pages": len(results), "trainer_pages": len(trainer),
        "worst_kb": heaviest["transfer_kb"], "worst_kb_page": heaviest["path"],
        "worst_usable_3g_ms": slowest["usable_3g_ms"], "worst_usable_page": slowest["path"],
        "worst_fcp_3g_ms": max(r["fcp_3g_ms"] for r in results),
        "inline_scripts": max(r["inline_scripts"] for r in results),
        "overflowing": len(overflowing), "not_200": len(failed), "nojs_broken": len(broken),
        "elapsed_s": time.monotonic() - started,
    }
    failures = []
    if figures["trainer_pages"] < 5:
        failures.append(f"only {figures['trainer_pages']} workspace pages reached from /trainer/")
    if heaviest["transfer_kb"] > BUDGET_KB:
        failures.append(f"{heaviest['path']}: {heaviest['transfer_kb']:.1f} KB (≤ {BUDGET_KB})")
    if slowest["usable_3g_ms"] > BUDGET_USABLE_MS:
        failures.append(f"{slowest['path']}: usable in {slowest['usable_3g_ms']:.0f} ms on 3G (≤ {BUDGET_USABLE_MS})")
    failures += [f"{path}: wider than the screen" for path in overflowing]
    failures += [f"{r['path']}: answered {r['status']}" for r in failed]
    failures += [f"{path}: no h1 without JavaScript" for path in broken]
    say("OVER BUDGET: " + "; ".join(failures) if failures else "all budgets met")
    say(" ".join(f"{key}={format_figure(value)}" for key, value in figures.items()))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # noqa: BLE001 - a failed run says why, on the last line too
        say(f"error={type(error).__name__}: {error}")
        sys.exit(2)
