"""Certificate PDFs: the HTML, the QR code and WeasyPrint, with fonts and CSS loaded once per worker process."""

import atexit
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from django.conf import settings

APP_DIR = Path(__file__).resolve().parent
FONT_DIR = APP_DIR / "fonts"
CSS_PATH = APP_DIR / "pdf" / "certificate.css"
TEMPLATE_NAME = "certificates/pdf/certificate.html"

# Usable widths (points) of the name and course-title boxes, and a generous average glyph width (em)
# of Be Vietnam Pro: the font size is chosen from the text's length so that long names still fit.
NAME_BOX_PT = 700
TITLE_BOX_PT = 720


@dataclass
class CertificateData:
    """Everything printed on a certificate; plain values so the renderer needs no database."""

    serial: str
    full_name: str
    course_title: str
    completed_on: date
    verify_url: str
    year_of_birth: int | None = None
    commune_name: str = ""
    province_name: str = ""
    issuer_name: str = ""
    signer_name: str = ""
    signer_title: str = ""
    place_name: str = ""
    logo_url: str = ""
    signature_url: str = ""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def font_size_for(text: str, *, box_pt: float, lines: int, largest: float, smallest: float,
                  em_width: float = 0.62) -> float:
    """The largest size (pt) at which `text` fits in `lines` lines of `box_pt`, between the bounds."""
    length = max(len(text), 1)
    size = lines * box_pt / (em_width * length)
    return round(max(smallest, min(largest, size)), 1)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (vector: sharp when printed, a few hundred bytes in the PDF).

    A fixed mask pattern skips segno's scoring of all eight (6 of the 7 ms it takes); any mask decodes.
    """
    return segno.make(url, error="m", micro=False, mask=0).svg_inline(scale=1, border=0, omitsize=True, dark="#000")


def qr_png_data_uri(url: str) -> str:
    """The same QR code as a PNG of one pixel per module (drawn unsmoothed): ~30% less CPU than the SVG."""
    return segno.make(url, error="m", micro=False, mask=0).png_data_uri(scale=1, border=0)


def build_html(data: CertificateData, *, qr_format: str = "svg") -> str:
    from django.template.loader import render_to_string

    name = nfc(data.full_name)
    title = nfc(data.course_title)
    context = {
        "c": data,
        "full_name": name,
        "course_title": title,
        "name_pt": font_size_for(name, box_pt=NAME_BOX_PT, lines=1, largest=30, smallest=14, em_width=0.66),
        "title_pt": font_size_for(title, box_pt=TITLE_BOX_PT, lines=2, largest=22, smallest=10),
        "qr": qr_svg(data.verify_url) if qr_format == "svg" else "",
        "qr_png": qr_png_data_uri(data.verify_url) if qr_format == "png" else "",
        "day": data.completed_on.day,
        "month": data.completed_on.month,
        "year": data.completed_on.year,
    }
    return render_to_string(TEMPLATE_NAME, context)


class _Renderer:
    """One FontConfiguration, one parsed stylesheet and one image cache per process, built on first use."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ready = False

    def _setup(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(CSS_PATH), font_config=self.font_config)
        self.image_cache = {}
        self._ready = True

    def __call__(self, html: str) -> bytes:
        from weasyprint import HTML

        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._setup()
        document = HTML(string=html, base_url=str(APP_DIR) + "/")
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config,
                                  cache=self.image_cache)


    def close(self):
        # Drop the font configuration before interpreter shutdown, when its finalizer can no longer run.
        with self._lock:
            self.__dict__.pop("font_config", None)
            self.__dict__.pop("stylesheet", None)
            self._ready = False


html_to_pdf = _Renderer()
atexit.register(html_to_pdf.close)


def html_to_pdf_naive(html: str) -> bytes:
    """The straightforward way (fonts and CSS loaded for every document); the benchmark's baseline."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(CSS_PATH), font_config=font_config)
    return HTML(string=html, base_url=str(APP_DIR) + "/").write_pdf(stylesheets=[stylesheet], font_config=font_config)


def render(data: CertificateData) -> bytes:
    return html_to_pdf(build_html(data, qr_format=getattr(settings, "CERTIFICATES_QR_FORMAT", "svg")))
