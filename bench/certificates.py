"""How fast one process renders certificate PDFs, optimized path against a naive baseline.

    .venv/bin/python bench/certificates.py [--n 2000] [--naive-n N] [--no-images] [--with-django]

Renders N certificates (distinct names, courses and serials, as a worker would) in this one process,
with a logo and a scanned signature (JPEG, as the app's renditions are) unless --no-images:

- optimized: certificates.pdf.render, what the app uses — one FontConfiguration, the stylesheet parsed
  once, one image cache, HarfBuzz font subsetting (Debian libharfbuzz-subset0); the fixed backdrop laid
  out once and kept, each certificate laying out only its own lines, with pikepdf putting the backdrop
  under them and segno's vector QR code over them;
- naive: the same certificate as one HTML document (QR code as inline SVG) given to a new HTML() with
  default options every time: a new FontConfiguration, the stylesheet parsed again, images loaded again
  (certificates.pdf.html_to_pdf_naive), the way the WeasyPrint tutorial does it.

Both include building the HTML (templates + QR code).

The renderer (certificates/pdf.py) imports neither Django nor Wagtail, so by default this process holds
only it, as a render process would; --with-django loads the whole project first (a Celery worker's
process) to show what Django and Wagtail add. RSS is read at start, after a warm-up of 200 other
certificates, after each quarter of the N optimized renders and at the end: flat means it stays where
the warm-up left it. With --with-django the process then does what each Celery
worker process does when it starts (cms.celery.freeze_start_up_objects). Prints readable lines, then
all figures as key=value pairs on the last line. No database is used.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _figures import median

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


def issuer_images(folder: Path) -> tuple[str, str]:
    """A logo and a scanned signature as JPEG files, the size of the app's renditions; file:// URLs."""
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (300, 300), "white")
    draw = ImageDraw.Draw(logo)
    draw.ellipse((10, 10, 290, 290), fill="#b3261e")
    draw.polygon([(150, 50), (175, 125), (255, 125), (190, 170), (215, 250), (150, 200), (85, 250), (110, 170),
                  (45, 125), (125, 125)], fill="#ffd200")
    signature = Image.new("RGB", (600, 240), "white")
    draw = ImageDraw.Draw(signature)
    rng = random.Random(7)
    points = [(40 + i * 26, 120 + rng.randint(-70, 70)) for i in range(21)]
    draw.line(points, fill="#1d3c8f", width=6, joint="curve")
    logo.save(folder / "logo.jpg", quality=80)
    signature.save(folder / "signature.jpg", quality=80)
    return (folder / "logo.jpg").as_uri(), (folder / "signature.jpg").as_uri()


def sample(i: int, rng: random.Random, images: tuple[str, str] = ("", "")):
    from certificates.pdf import CertificateData

    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return CertificateData(
        serial=f"QN-2026-{i + 1:06d}", full_name=name, course_title=rng.choice(COURSES),
        completed_on=date(2026, 7, 1 + i % 28),
        verify_url=f"https://hocvuso.example.vn/certificates/verify/{rng.randrange(36 ** 9):010X}/",
        year_of_birth=1940 + i % 50, commune_name=rng.choice(COMMUNES), province_name="Quảng Ninh",
        issuer_name="Sở Khoa học và Công nghệ tỉnh Quảng Ninh", signer_name="Nguyễn Văn Bình",
        signer_title="Giám đốc", place_name="Quảng Ninh", logo_url=images[0], signature_url=images[1],
    )


def run(label: str, render, data, *, warmup: int = 5, rss_samples: list | None = None):
    """Render every item; with rss_samples, RSS is appended after each quarter of the run."""
    for item in data[:warmup]:
        render(item)
    times, size = [], 0
    quarter = max(len(data) // 4, 1)
    cpu_started = time.process_time()
    started = time.perf_counter()
    for index, item in enumerate(data, 1):
        t0 = time.perf_counter()
        size = len(render(item))
        times.append(time.perf_counter() - t0)
        if rss_samples is not None and index % quarter == 0:
            rss_samples.append(rss_mib())
    elapsed = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu_started) / len(data) * 1000
    per_s = len(data) / elapsed
    median_ms = median(times) * 1000
    print(f"{label:>10}: {len(data)} PDFs in {elapsed:.1f} s = {per_s:.1f}/s, median {median_ms:.1f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:.1f} ms, CPU {cpu_ms:.1f} ms each "
          f"({1000 / cpu_ms:.1f}/s per busy core), last PDF {size / 1024:.1f} KiB, RSS {rss_mib():.0f} MiB")
    return per_s, median_ms, size, cpu_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="optimized renders (default 2000)")
    parser.add_argument("--naive-n", type=int, default=None, help="naive renders (default: same as --n, ≤ 300)")
    parser.add_argument("--no-images", action="store_true", help="leave the logo and the signature out")
    parser.add_argument("--with-django", action="store_true",
                        help="load Django and Wagtail first, as a Celery worker process does")
    args = parser.parse_args()

    if args.with_django:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
        django.setup()
        from cms.celery import freeze_start_up_objects

        freeze_start_up_objects()  # what each Celery worker process does when it starts
    from certificates import pdf

    with tempfile.TemporaryDirectory() as folder:
        images = ("", "") if args.no_images else issuer_images(Path(folder))
        rng = random.Random(2026)
        data = [sample(i, rng, images) for i in range(args.n)]
        print(f"WeasyPrint {__import__('weasyprint').__version__}, {os.cpu_count()} CPUs, one process")

        gc.collect()
        rss_start = rss_mib()
        # Warm-up: fonts loaded, backdrop laid out, and the glyphs of a couple of hundred Vietnamese names
        # shaped and cached by Pango/HarfBuzz (RSS rises about 2 MiB over the first 200 PDFs, then stays).
        for item in [sample(args.n + i, rng, images) for i in range(200)]:
            pdf.render(item)
        gc.collect()
        rss_warm = rss_mib()
        quarters = []
        opt_per_s, opt_median, size, opt_cpu = run("optimized", pdf.render, data, rss_samples=quarters)
        gc.collect()
        rss_after = rss_mib()
        naive_n = args.naive_n if args.naive_n is not None else min(args.n, 300)
        naive_per_s, naive_median, naive_size, naive_cpu = run(
            "naive", lambda item: pdf.html_to_pdf_naive(pdf.build_html(item)), data[:naive_n])
    ratio = opt_per_s / naive_per_s if naive_per_s else 0.0
    print(f"optimized / naive = {ratio:.2f}x; RSS {rss_start:.0f} MiB at start, {rss_warm:.0f} MiB after the "
          f"warm-up, {rss_after:.0f} MiB after {args.n} optimized renders "
          f"({'with' if args.with_django else 'without'} Django and Wagtail loaded); "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; after each quarter of the "
          f"optimized run: {', '.join(f'{value:.1f}' for value in quarters)} MiB")
    figures = {
        "n": args.n, "optimized_per_s": f"{opt_per_s:.1f}", "optimized_median_ms": f"{opt_median:.1f}",
        "naive_n": naive_n, "naive_per_s": f"{naive_per_s:.1f}", "naive_median_ms": f"{naive_median:.1f}",
        "ratio": f"{ratio:.2f}", "optimized_cpu_ms": f"{opt_cpu:.1f}", "naive_cpu_ms": f"{naive_cpu:.1f}",
        "cpu_ratio": f"{naive_cpu / opt_cpu:.2f}", "load_avg_1m": f"{os.getloadavg()[0]:.1f}",
        "pdf_kb": f"{size / 1024:.1f}", "naive_pdf_kb": f"{naive_size / 1024:.1f}",
        "rss_start_mib": f"{rss_start:.0f}", "rss_warm_mib": f"{rss_warm:.0f}", "rss_mib": f"{rss_after:.0f}",
        "rss_growth_mib": f"{rss_after - rss_warm:.1f}",
        "rss_growth_second_half_mib": f"{quarters[-1] - quarters[1]:.1f}" if len(quarters) == 4 else "",
        "images": int(not args.no_images),
        "django_loaded": int(args.with_django),
    }
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
