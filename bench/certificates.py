"""How fast one process renders certificate PDFs, optimized path against a naive baseline.

    .venv/bin/python bench/certificates.py [--n 300] [--naive-n N] [--batch K]

Renders N certificates (distinct names, courses and serials, as a worker would) in this one process:

- optimized: certificates.pdf.html_to_pdf — one FontConfiguration, the stylesheet parsed once, one
  image cache, HarfBuzz font subsetting (Debian libharfbuzz-subset0), inline SVG QR code;
- naive: a new FontConfiguration and stylesheet for every document (certificates.pdf.html_to_pdf_naive),
  the way the WeasyPrint tutorial does it.

Both include building the HTML (template + QR code). With --batch K it also tries rendering
K certificates as the pages of one document and splitting it into K PDFs (Document.copy).

The renderer (certificates/pdf.py) imports neither Django nor Wagtail, so by default this process holds
only it, as a render process would; --with-django loads the whole project first (a Celery worker's
process) to show what Django and Wagtail add. RSS is read after a warm-up and after the N optimized
renders: flat means the second is not larger. Prints readable lines, then all figures as key=value
pairs on the last line. No database is used.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Quang", "Thu", "Xuân"]
GIVEN = ["Lan", "Mai", "Hoa", "Tuấn", "Hùng", "Dũng", "Hương", "Phượng", "Ánh Tuyết", "Quỳnh Anh", "Bảo Ngọc"]
COURSES = ["Phòng tránh lừa đảo trực tuyến", "Sử dụng điện thoại thông minh",
           "Dịch vụ công trực tuyến và ứng dụng VNeID", "Thanh toán không dùng tiền mặt an toàn",
           "Trí tuệ nhân tạo cơ bản cho mọi người"]
COMMUNES = ["Phường Hạ Long", "Phường Bãi Cháy", "Đặc khu Vân Đồn", "Xã Quảng Tân", "Đặc khu Cô Tô"]


def rss_mib() -> float:
    """Current resident set size (VmRSS), falling back to the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample(i: int, rng: random.Random):
    from certificates.pdf import CertificateData

    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return CertificateData(
        serial=f"QN-2026-{i + 1:06d}", full_name=name, course_title=rng.choice(COURSES),
        completed_on=date(2026, 7, 1 + i % 28),
        verify_url=f"https://hocvuso.example.vn/certificates/verify/{rng.randrange(36 ** 9):010X}/",
        year_of_birth=1940 + i % 50, commune_name=rng.choice(COMMUNES), province_name="Quảng Ninh",
        issuer_name="Sở Khoa học và Công nghệ tỉnh Quảng Ninh", signer_name="Nguyễn Văn Bình",
        signer_title="Giám đốc", place_name="Quảng Ninh",
    )


def run(label: str, render, data, *, warmup: int = 5, qr_format: str = "svg"):
    from functools import partial

    from certificates.pdf import build_html

    build_html = partial(build_html, qr_format=qr_format)

    for item in data[:warmup]:
        render(build_html(item))
    times, size = [], 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for item in data:
        t0 = time.perf_counter()
        size = len(render(build_html(item)))
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu_started) / len(data) * 1000
    per_s = len(data) / elapsed
    median_ms = statistics.median(times) * 1000
    print(f"{label:>10}: {len(data)} PDFs in {elapsed:.1f} s = {per_s:.1f}/s, median {median_ms:.1f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:.1f} ms, CPU {cpu_ms:.1f} ms each "
          f"({1000 / cpu_ms:.1f}/s per busy core), last PDF {size / 1024:.1f} KiB, RSS {rss_mib():.0f} MiB")
    return per_s, median_ms, size, cpu_ms


def run_batch(data, k: int):
    """K certificates as the pages of one document, then one PDF per page."""
    from weasyprint import HTML

    from certificates.pdf import APP_DIR, build_html, html_to_pdf

    html_to_pdf("<p></p>")  # build the shared font configuration and stylesheet
    started = time.perf_counter()
    count = 0
    for start in range(0, len(data), k):
        chunk = data[start:start + k]
        bodies = [build_html(item).split("<body>", 1)[1].split("</body>", 1)[0] for item in chunk]
        html = "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'></head><body>" + "".join(
            f"<div style='page-break-after:always'>{body}</div>" for body in bodies) + "</body></html>"
        document = HTML(string=html, base_url=str(APP_DIR) + "/").render(
            stylesheets=[html_to_pdf.stylesheet], font_config=html_to_pdf.font_config)
        for page in document.pages:
            document.copy([page]).write_pdf(cache=html_to_pdf.image_cache)
            count += 1
    elapsed = time.perf_counter() - started
    per_s = count / elapsed
    print(f"{'batch':>10}: {count} PDFs as pages of {k} in {elapsed:.1f} s = {per_s:.1f}/s, RSS {rss_mib():.0f} MiB")
    return per_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="certificates per path (default 300)")
    parser.add_argument("--naive-n", type=int, default=None, help="naive renders (default: same as --n, ≤ 300)")
    parser.add_argument("--batch", type=int, default=0, help="also try K certificates per document")
    parser.add_argument("--qr", choices=["svg", "png"], default="svg",
                        help="QR code as inline SVG (default, what the app uses) or a 1-px-per-module PNG")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after start-up, as a worker may")
    parser.add_argument("--with-django", action="store_true",
                        help="load Django and Wagtail first, as a Celery worker process does")
    args = parser.parse_args()

    if args.with_django:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
        django.setup()
    from certificates import pdf

    rng = random.Random(2026)
    data = [sample(i, rng) for i in range(args.n)]
    print(f"WeasyPrint {__import__('weasyprint').__version__}, {os.cpu_count()} CPUs, one process")

    gc.collect()
    rss_start = rss_mib()
    if args.gc_freeze:
        pdf.html_to_pdf("<p></p>")
        gc.freeze()  # what a worker can do after start-up: Django/Wagtail objects leave the GC's scans
    for item in data[:20]:  # warm-up: fonts loaded, caches filled
        pdf.render(item, qr_format=args.qr)
    gc.collect()
    rss_warm = rss_mib()
    opt_per_s, opt_median, size, opt_cpu = run("optimized", pdf.html_to_pdf, data, qr_format=args.qr)
    gc.collect()
    rss_after = rss_mib()
    naive_n = args.naive_n if args.naive_n is not None else min(args.n, 300)
    naive_per_s, naive_median, _, naive_cpu = run("naive", pdf.html_to_pdf_naive, data[:naive_n], qr_format=args.qr)
    batch_per_s = run_batch(data[: min(args.n, 200)], args.batch) if args.batch else 0.0
    ratio = opt_per_s / naive_per_s if naive_per_s else 0.0
    print(f"optimized / naive = {ratio:.2f}x; RSS {rss_start:.0f} MiB at start, {rss_warm:.0f} MiB after the "
          f"warm-up, {rss_after:.0f} MiB after {args.n} optimized renders "
          f"({'with' if args.with_django else 'without'} Django and Wagtail loaded); "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    figures = {
        "n": args.n, "optimized_per_s": f"{opt_per_s:.1f}", "optimized_median_ms": f"{opt_median:.1f}",
        "naive_n": naive_n, "naive_per_s": f"{naive_per_s:.1f}", "naive_median_ms": f"{naive_median:.1f}",
        "ratio": f"{ratio:.2f}", "optimized_cpu_ms": f"{opt_cpu:.1f}", "naive_cpu_ms": f"{naive_cpu:.1f}",
        "cpu_ratio": f"{naive_cpu / opt_cpu:.2f}", "load_avg_1m": f"{os.getloadavg()[0]:.1f}",
        "pdf_kb": f"{size / 1024:.1f}", "rss_start_mib": f"{rss_start:.0f}", "rss_warm_mib": f"{rss_warm:.0f}",
        "rss_mib": f"{rss_after:.0f}", "rss_growth_mib": f"{rss_after - rss_warm:.0f}",
        "django_loaded": int(args.with_django),
    }
    figures["qr"] = args.qr
    if args.batch:
        figures.update(batch=args.batch, batch_per_s=f"{batch_per_s:.1f}")
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
