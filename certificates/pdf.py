"""Certificate PDFs: plain data in, PDF bytes out (WeasyPrint, segno).

This module imports neither Django nor Wagtail, so a process that only renders (the bench, a render
worker) stays small; the services gather the data from the database and call `render()`. Fonts, the
stylesheet and the image cache are loaded once per process. The wording is Vietnamese by design: the
national heading and the certificate's fixed text (pdf/certificate.html).
"""

import atexit
import html
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template

import segno

APP_DIR = Path(__file__).resolve().parent
FONT_DIR = APP_DIR / "fonts"
CSS_PATH = APP_DIR / "pdf" / "certificate.css"
TEMPLATE_PATH = APP_DIR / "pdf" / "certificate.html"
TEMPLATE = Template(TEMPLATE_PATH.read_text(encoding="utf-8"))

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


def _image(css_class: str, url: str) -> str:
    return f'<div class="{css_class}"><img src="{html.escape(url)}" alt=""></div>' if url else ""


def facts_line(data: CertificateData) -> str:
    """"Năm sinh: 1962 · Nơi cư trú: Phường Hạ Long, Quảng Ninh", leaving out what is not known."""
    parts = []
    if data.year_of_birth:
        parts.append(f"Năm sinh: {data.year_of_birth}")
    if data.commune_name:
        place = nfc(data.commune_name) + (f", {nfc(data.province_name)}" if data.province_name else "")
        parts.append(f"Nơi cư trú: {place}")
    return " · ".join(parts)


def build_html(data: CertificateData, *, qr_format: str = "svg") -> str:
    """The certificate's HTML; every value is NFC-normalised and escaped."""
    name = nfc(data.full_name)
    title = nfc(data.course_title)
    done = data.completed_on
    place = f"{nfc(data.place_name)}, " if data.place_name else ""
    qr = f'<img src="{qr_png_data_uri(data.verify_url)}" alt="">' if qr_format == "png" else qr_svg(data.verify_url)
    escaped = {key: html.escape(value) for key, value in {
        "serial": data.serial,
        "issuer": nfc(data.issuer_name).upper(),
        "full_name": name,
        "facts": facts_line(data),
        "course_title": title,
        "completed_on": f"{done.day:02d}/{done.month:02d}/{done.year}",
        "verify_url": data.verify_url,
        "place_and_date": f"{place}ngày {done.day} tháng {done.month} năm {done.year}",
        "signer_title": nfc(data.signer_title).upper(),
        "signer_name": nfc(data.signer_name),
    }.items()}
    return TEMPLATE.substitute(
        escaped,
        name_pt=font_size_for(name, box_pt=NAME_BOX_PT, lines=1, largest=30, smallest=14, em_width=0.66),
        title_pt=font_size_for(title, box_pt=TITLE_BOX_PT, lines=2, largest=22, smallest=10),
        qr=qr,
        logo=_image("logo", data.logo_url),
        signature=_image("signature", data.signature_url),
    )


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


def render(data: CertificateData, *, qr_format: str = "svg") -> bytes:
    return html_to_pdf(build_html(data, qr_format=qr_format))
