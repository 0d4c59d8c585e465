"""How a lesson page does on a cheap Android phone on a slow connection, against the issue's budgets.

    .venv/bin/python bench/lesson_page.py

Runs the site the way `make run` does (a temporary SQLite database, `manage.py prepare_site`
with the dev settings, DEBUG on, then `manage.py runserver 127.0.0.1:<free port>`), logs in as
the demo resident Lê Minh Tuấn (who has opened no lesson in the demo) in Debian's chromium at
360 px and reads every demo lesson in order, marking each one done. For each lesson it measures:

- a cold load (HTTP cache disabled): requests and bytes on the wire (CDP encodedDataLength:
  headers + compressed body), counting the server's own log too, so that requests the browser
  makes outside the page (a favicon) are not missed. `requests_total` is every request;
  `requests_excluding_images` and `transfer_kb` leave out the lesson's own images (/media/);
- the same cold load on emulated 3G (CDP: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency per
  request; CPU 4x slower): first-contentful-paint, and "usable", the first frame in which the
  lesson's h1 and the "I have finished this lesson" button are both laid out (never before FCP).

Then it checks the page with JavaScript off (another resident: the lesson shows, the button
posts), the response headers (HTML compressed; CSS at a hashed URL, cached immutably), and the
server time of a warm lesson in-process (Django's test Client, N=200 after 20 warm-up requests,
DEBUG off, one process, SQLite) with its number of SQL queries.

Prints readable lines, then all figures as key=value pairs on the last line. Exits 1 when a
budget is exceeded (the line before the figures says which), 2 when the run itself failed.
Only 127.0.0.1 is contacted; every step has a time limit.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
import sys
import time
import urllib.request
from urllib.parse import urljoin, urlparse

from _figures import median
from _server import DEMO_PASSWORD, DEMO_RESIDENTS, REPO_ROOT, DevSite

BUDGETS = {  # figure: (limit, "max" or "min", what it means)
    "transfer_kb": (40, "max", "KB transferred on a cold load, the lesson's own images left out"),
    "requests_excluding_images": (6, "max", "requests on a cold load, the lesson's own images left out"),
    "webfonts": (0, "max", "web fonts"),
    "js_kb": (10, "max", "KB of JavaScript (no framework)"),
    "nojs_ok": (1, "min", "the lesson reads and the done button posts with JavaScript off"),
    "fcp_3g_ms": (1500, "max", "first-contentful-paint on 3G, CPU 4x slower"),
    "usable_3g_ms": (1500, "max", "h1 and done button rendered on 3G, CPU 4x slower"),
    "server_median_ms": (15, "max", "median server time, enrolled learner, warm"),
    "server_anon_median_ms": (15, "max", "median server time, anonymous, warm"),
    "html_gzip": (1, "min", "HTML compressed"),
    "static_immutable": (1, "min", "CSS at a hashed URL with an immutable, 1-year cache"),
}
SERVER_TIME_REQUESTS = 200
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8,
           "connectionType": "cellular3g"}
NO_THROTTLING = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
DONE_BUTTON = 'form[action$="/done/"] button[type=submit]'
# Marks window.__usable at the first frame where the lesson's h1 and the done button have a box.
USABLE_SCRIPT = """(() => {
  const laidOut = (el) => el && el.getBoundingClientRect().height > 0;
  const frame = () => {
    if (laidOut(document.querySelector('main h1')) && laidOut(document.querySelector(DONE_BUTTON))) {
      window.__usable = performance.now();
    } else { requestAnimationFrame(frame); }
  };
  requestAnimationFrame(frame);
})();""".replace("DONE_BUTTON", repr(DONE_BUTTON))
SERVER_LOG_LINE = re.compile(r'"(?:GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d{3}) (\d+|-)')


def say(line: str = "") -> None:
    print(line, flush=True)


def chromium_launch_settings() -> tuple[str, list[str]]:
    """The executable and flags of the browser tests (tests/browser/conftest.py), kept in one place."""
    spec = importlib.util.spec_from_file_location("browser_conftest", REPO_ROOT / "tests/browser/conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    return conftest.CHROMIUM, conftest.CHROMIUM_ARGS


# --------------------------------------------------------------------------- headers

def fetch(url: str) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})  # noqa: S310 - our server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return {key.lower(): value for key, value in response.headers.items()}, response.read()


def check_headers(site: DevSite, page_url: str) -> dict:
    headers, body = fetch(site.url + page_url)
    html_encoding = headers.get("content-encoding", "")
    html = gzip.decompress(body) if html_encoding == "gzip" else body
    say(f"HTML {page_url}: Content-Encoding {html_encoding or 'none'}, {len(body)} bytes on the wire "
        f"({len(html)} uncompressed)")
    stylesheets = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    immutable = bool(stylesheets)
    static_gzip = bool(stylesheets)
    for href in stylesheets:
        url = urljoin(site.url + page_url, href.decode())
        css_headers, __ = fetch(url)
        cache = css_headers.get("cache-control", "")
        max_age = int((re.search(r"max-age=(\d+)", cache) or [0, 0])[1])
        hashed = bool(re.search(r"\.[0-9a-f]{12}\.\w+$", urlparse(url).path))
        forever = "immutable" in cache or max_age >= 365 * 24 * 3600
        immutable = immutable and hashed and forever
        static_gzip = static_gzip and css_headers.get("content-encoding") in {"gzip", "br"}
        say(f"CSS {urlparse(url).path}: hashed name {'yes' if hashed else 'NO'}, Cache-Control "
            f"{cache or 'none'!r}, Content-Encoding {css_headers.get('content-encoding', 'none')}")
    return {"html_gzip": int(html_encoding in {"gzip", "br"}), "static_immutable": int(immutable),
            "static_gzip": int(static_gzip), "stylesheets": len(stylesheets)}


# --------------------------------------------------------------------------- browser

class Recorder:
    """Every request of one page load as the page's DevTools network panel sees it."""

    def __init__(self, cdp):
        self.requests: dict[str, dict] = {}
        self.redirects: list[dict] = []
        cdp.on("Network.requestWillBeSent", self.sent)
        cdp.on("Network.responseReceived", self.received)
        cdp.on("Network.loadingFinished", self.finished)
        cdp.on("Network.loadingFailed", self.failed)

    def reset(self) -> None:
        self.requests.clear()
        self.redirects.clear()

    def sent(self, event: dict) -> None:
        if event["request"]["url"].startswith("data:"):
            return
        previous = self.requests.get(event["requestId"])
        if previous is not None and event.get("redirectResponse"):
            previous.update(bytes=previous.get("bytes", 0) + 300, status=event["redirectResponse"]["status"])
            self.redirects.append(previous)
        self.requests[event["requestId"]] = {"url": event["request"]["url"], "type": event.get("type", "Other")}

    def received(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]].update(status=event["response"]["status"],
                                                     mime=event["response"].get("mimeType", ""))

    def finished(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def failed(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]].update(bytes=0, status="failed")

    def all(self) -> list[dict]:
        return [*self.redirects, *self.requests.values()]


def server_log_requests(site: DevSite, offset: int) -> list[tuple[str, int]]:
    text = (site.tmp / "server.log").read_bytes()[offset:].decode(errors="replace")
    return [(path, int(status)) for path, status, __ in SERVER_LOG_LINE.findall(text)]


def server_log_size(site: DevSite) -> int:
    return (site.tmp / "server.log").stat().st_size


def is_lesson_image(request: dict) -> bool:
    return request["type"] == "Image" and urlparse(request["url"]).path.startswith("/media/")


def cold_load(page, cdp, recorder: Recorder, site: DevSite, url: str) -> dict:
    recorder.reset()
    log_offset = server_log_size(site)
    page.goto(site.url + url, wait_until="load", timeout=30_000)
    page.wait_for_load_state("networkidle", timeout=30_000)
    time.sleep(0.3)  # let the server write its log lines
    seen = recorder.all()
    logged = server_log_requests(site, log_offset)
    # Requests the server got that the page's network panel did not show (a favicon, say).
    seen_paths = [urlparse(r["url"]).path for r in seen]
    extra = [path for path, __ in logged if path not in seen_paths]
    for path in extra:
        seen.append({"url": site.url + path, "type": "Other (outside the page)", "bytes": 0, "status": "?"})
    images = [r for r in seen if is_lesson_image(r)]
    others = [r for r in seen if not is_lesson_image(r)]
    scripts = [r for r in seen if r["type"] == "Script"]
    document = next((r for r in seen if r["type"] == "Document"), {"bytes": 0})
    webfonts = sum(r["type"] == "Font" for r in seen) + page.evaluate(
        "[...document.styleSheets].reduce((n, s) => { try { return n + [...s.cssRules].filter("
        "r => r instanceof CSSFontFaceRule).length } catch (e) { return n } }, 0)")
    return {
        "requests_total": len(seen), "requests_excluding_images": len(others), "images": len(images),
        "transfer_kb": sum(r.get("bytes", 0) for r in others) / 1024,
        "image_kb": sum(r.get("bytes", 0) for r in images) / 1024,
        "html_kb": document.get("bytes", 0) / 1024,
        "js_requests": len(scripts), "js_kb": sum(r.get("bytes", 0) for r in scripts) / 1024,
        "inline_scripts": page.evaluate("document.scripts.length"),
        "webfonts": webfonts, "outside_page": extra,
        "list": [(r["type"], urlparse(r["url"]).path, r.get("status"), r.get("bytes", 0)) for r in seen],
    }


def load_on_3g(page, cdp, site: DevSite, url: str) -> dict:
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    try:
        page.goto(site.url + url, wait_until="commit", timeout=30_000)
        # Polled from here, not with wait_for_function: Playwright's in-page polling evaluates its predicate with
        # eval, which the site's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
        deadline = time.monotonic() + 30
        while not page.evaluate(
                "window.__usable !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url}: not usable within 30 s on 3G")
            time.sleep(0.1)
        fcp, usable = page.evaluate(
            "[performance.getEntriesByName('first-contentful-paint')[0].startTime, window.__usable]")
        page.wait_for_load_state("load", timeout=60_000)  # images finish before the next measurement
    finally:
        cdp.send("Network.emulateNetworkConditions", NO_THROTTLING)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return {"fcp_3g_ms": fcp, "usable_3g_ms": max(fcp, usable)}


def log_in(page, site: DevSite, phone: str) -> None:
    page.goto(site.url + "/accounts/login/", timeout=30_000)
    page.fill("#id_login", "0" + phone[3:])
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=30_000)


def phone_context(browser, **options):
    return browser.new_context(viewport={"width": 360, "height": 760}, device_scale_factor=2, is_mobile=True,
                               has_touch=True, locale="vi-VN", **options)


def read_every_lesson(browser, site: DevSite, courses: list[dict]) -> list[dict]:
    context = phone_context(browser)
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Tuấn: the demo resident with no progress (Lan has finished a course, Hùng is half-way through one).
    log_in(page, site, DEMO_RESIDENTS[3])
    page.add_init_script(USABLE_SCRIPT)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    recorder = Recorder(cdp)
    results = []
    try:
        for course in courses:
            for lesson in course["lessons"]:
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cold = cold_load(page, cdp, recorder, site, lesson["url"])
                if not page.locator(DONE_BUTTON).is_visible():
                    raise RuntimeError(f"{lesson['url']}: no visible 'I have finished' button for a logged-in learner")
                slow = load_on_3g(page, cdp, site, lesson["url"])
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
                results.append({**lesson, "course": course["title"], **cold, **slow})
                say(f"  {lesson['title'][:48]:<48} {cold['transfer_kb']:5.1f} KB, "
                    f"{cold['requests_excluding_images']} req + {cold['images']} images ({cold['image_kb']:.0f} KB), "
                    f"HTML {cold['html_kb']:.1f} KB; 3G: FCP {slow['fcp_3g_ms']:.0f} ms, "
                    f"usable {slow['usable_3g_ms']:.0f} ms")
                with page.expect_navigation(timeout=30_000):
                    page.click(DONE_BUTTON)  # the journey goes on: a sequential course opens the next lesson
    finally:
        context.close()
    return results


def check_without_javascript(browser, site: DevSite, lesson_url: str) -> int:
    context = phone_context(browser, java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, site, DEMO_RESIDENTS[1])
        page.goto(site.url + lesson_url)
        readable = page.locator("main h1").is_visible() and page.locator(DONE_BUTTON).is_visible()
        with page.expect_navigation():
            page.click(DONE_BUTTON)
        page.goto(site.url + lesson_url)
        done = page.locator(DONE_BUTTON).count() == 0 and page.locator("main .card.ok").is_visible()
        say(f"JavaScript off: lesson and button shown {'yes' if readable else 'NO'}, "
            f"marked done by the form POST {'yes' if done else 'NO'}")
        return int(readable and done)
    finally:
        context.close()


# --------------------------------------------------------------------------- the run

def worst(results: list[dict], key: str) -> dict:
    return max(results, key=lambda r: r[key])


def main() -> int:
    started = time.monotonic()
    load_before = os.getloadavg()[0]  # other work on the machine, before this bench adds its own
    figures: dict[str, float | int | str] = {}
    with DevSite(log=say) as site:
        site.prepare()
        described = site.python("--describe", timeout=300)
        courses = [c for c in described["courses"] if c["lessons"]]
        lessons = [lesson for c in courses for lesson in c["lessons"]]
        if not lessons:
            raise RuntimeError("no demo lesson to measure: prepare_site (seed_demo) made none")
        say(f"demo lessons measured: {len(lessons)} in {len(courses)} course(s), in the default language")
        for course in courses:
            say(f"  {course['title']} ({'sequential' if course['sequential'] else 'any order'}): "
                f"{len(course['lessons'])} lessons")
        site.start()
        figures.update(check_headers(site, lessons[0]["url"]))

        from playwright.sync_api import sync_playwright

        executable, args = chromium_launch_settings()
        say(f"chromium: {executable} {' '.join(args)}; 360x760 px, device scale 2, vi-VN; cold loads with "
            "the HTTP cache disabled")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=args, timeout=60_000)
            try:
                figures["nojs_ok"] = check_without_javascript(browser, site, courses[0]["lessons"][0]["url"])
                results = read_every_lesson(browser, site, courses)
            finally:
                browser.close()
        site.stop()

        heaviest = worst(results, "transfer_kb")
        say(f"heaviest lesson, cold load: {heaviest['url']}")
        for kind, path, status, size in heaviest["list"]:
            say(f"    {kind:<10} {status!s:>4} {size / 1024:6.1f} KB  {path}")
        if heaviest["outside_page"]:
            say("    (seen in the server's log only, outside the page: " + ", ".join(heaviest["outside_page"]) + ")")
        for key in ("transfer_kb", "requests_total", "requests_excluding_images", "images", "image_kb", "html_kb",
                    "js_requests", "js_kb", "inline_scripts", "webfonts", "fcp_3g_ms", "usable_3g_ms"):
            figures[key] = worst(results, key)[key]
        figures["fcp_3g_median_ms"] = median(r["fcp_3g_ms"] for r in results)
        figures["usable_3g_median_ms"] = median(r["usable_3g_ms"] for r in results)
        figures["lessons"] = len(results)

        # Server time on the lesson with the largest HTML, as an enrolled learner who may open it, and
        # anonymously on the largest one a visitor may open (a sequential course locks all but its first).
        target = max(results, key=lambda r: r["html_kb"])
        open_urls = {lesson["url"] for c in courses for number, lesson in enumerate(c["lessons"])
                     if number == 0 or not c["sequential"]}
        anon_target = max((r for r in results if r["url"] in open_urls), key=lambda r: r["html_kb"])
        timing = site.python("--server-time", target["url"], anon_target["url"], str(SERVER_TIME_REQUESTS),
                             timeout=300, DEBUG="0")
        for who, figure in (("learner", "server"), ("anon", "server_anon")):
            row = timing[who]
            say(f"server time ({who}, {row['url']}, DEBUG off, N={SERVER_TIME_REQUESTS}): median "
                f"{row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms (CPU median {row['cpu_median_ms']:.1f} ms), "
                f"{row['queries']} SQL queries")
            figures[f"{figure}_median_ms"] = row["median_ms"]
            figures[f"{figure}_p95_ms"] = row["p95_ms"]
            figures[f"{figure}_cpu_median_ms"] = row["cpu_median_ms"]
        figures["queries_lesson"] = timing["learner"]["queries"]
        figures["queries_lesson_anon"] = timing["anon"]["queries"]

    say(f"worst of {figures['lessons']} lessons: {figures['transfer_kb']:.1f} KB and "
        f"{figures['requests_excluding_images']} requests without the lesson's images "
        f"({figures['requests_total']} with them); 3G FCP {figures['fcp_3g_ms']:.0f} ms, usable "
        f"{figures['usable_3g_ms']:.0f} ms (medians {figures['fcp_3g_median_ms']:.0f} / "
        f"{figures['usable_3g_median_ms']:.0f} ms)")
    failures = []
    for key, (limit, kind, meaning) in BUDGETS.items():
        value = figures[key]
        if (kind == "max" and value > limit) or (kind == "min" and value < limit):
            failures.append(f"{key}={format_figure(value)} ({'≤' if kind == 'max' else '≥'} {limit}: {meaning})")
    figures["elapsed_s"] = time.monotonic() - started
    figures["load_before"] = load_before
    if load_before > (os.cpu_count() or 1) / 2:
        say(f"note: the machine was busy before the bench started (load {load_before:.1f} on {os.cpu_count()} "
            "cores): times are longer than on a quiet one; the CPU-time medians are less affected")
    say("OVER BUDGET: " + "; ".join(failures) if failures else "all budgets met")
    say(" ".join(f"{key}={format_figure(value)}" for key, value in figures.items()))
    return 1 if failures else 0


def format_figure(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # noqa: BLE001 - say what failed, on the last line too
        say(f"bench failed: {type(error).__name__}: {error}")
        say("bench_error=1")
        sys.exit(2)
