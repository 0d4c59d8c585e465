"""Certificate PDFs: plain data in, PDF bytes out (WeasyPrint, segno, pikepdf).

This module imports neither Django nor Wagtail, so a process that only renders (the bench, a render
worker) stays small; the services gather the data from the database and call `render()`.

A certificate is two layers. The backdrop (frame, national heading, issuing body, logo, signer and
signature: pdf/backdrop.html) is the same on every certificate of one issuer and signer, so it is laid
out once per process and kept. Each certificate then lays out only its own lines (pdf/learner.html),
and pikepdf puts the backdrop under them and draws segno's QR code (vector) over them. `build_html()`
gives the same certificate as one HTML document, QR code as inline SVG: the straightforward way, which
takes three times as long (bench/certificates.py compares them). The wording is Vietnamese by design.
"""

import atexit
import html
import io
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template

import pikepdf
import segno

APP_DIR = Path(__file__).resolve().parent
CSS_PATH = APP_DIR / "pdf" / "certificate.css"
PAGE = Template((APP_DIR / "pdf" / "page.html").read_text(encoding="utf-8"))
BACKDROP = Template((APP_DIR / "pdf" / "backdrop.html").read_text(encoding="utf-8"))
LEARNER = Template((APP_DIR / "pdf" / "learner.html").read_text(encoding="utf-8"))

# The QR code's box on the page (left, top, side, in mm; the same as .qr in certificate.css), on A4
# landscape, whose height in PDF points is PAGE_HEIGHT_PT.
QR_BOX_MM = (24, 157, 30)
PAGE_HEIGHT_PT = 210 * 72 / 25.4
BACKDROPS_KEPT = 16

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


def _qr(url: str) -> segno.QRCode:
    """A fixed mask pattern skips segno's scoring of all eight (6 of the 7 ms it takes); any mask decodes."""
    return segno.make(url, error="m", micro=False, mask=0)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG, for the certificate as one HTML document."""
    return _qr(url).svg_inline(scale=1, border=0, omitsize=True, dark="#000")


def qr_drawing(url: str) -> bytes:
    """The QR code as PDF drawing operators in QR_BOX_MM: one filled rectangle per run of dark modules.

    Vector, like the inline SVG of build_html(), but drawn straight onto the page: WeasyPrint's SVG
    renderer takes a fifth of a certificate's time (6 of 28 ms) for the same few hundred rectangles.
    """
    rows = _qr(url).matrix
    left, top, side = (value * 72 / 25.4 for value in QR_BOX_MM)
    module = side / len(rows)
    # Module units, rows downwards from the box's top-left corner, black fill; restored afterwards.
    drawing = [b"q 0 g %.5f 0 0 %.5f %.3f %.3f cm" % (module, -module, left, PAGE_HEIGHT_PT - top)]
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                drawing.append(b"%d %d %d 1 re" % (start, y, x - start))
            else:
                x += 1
    drawing.append(b"f Q")
    return b"\n".join(drawing)


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


def backdrop_html(data: CertificateData) -> str:
    """The fixed parts: the same for every certificate with this issuer, signer, logo and signature."""
    escaped = {key: html.escape(value) for key, value in {
        "issuer": nfc(data.issuer_name).upper(),
        "signer_title": nfc(data.signer_title).upper(),
        "signer_name": nfc(data.signer_name),
    }.items()}
    return BACKDROP.substitute(escaped, logo=_image("logo", data.logo_url),
                               signature=_image("signature", data.signature_url))


def learner_html(data: CertificateData, *, qr: str = "") -> str:
    """This certificate's own lines; every value is NFC-normalised and escaped."""
    name = nfc(data.full_name)
    title = nfc(data.course_title)
    done = data.completed_on
    place = f"{nfc(data.place_name)}, " if data.place_name else ""
    escaped = {key: html.escape(value) for key, value in {
        "serial": data.serial,
        "full_name": name,
        "facts": facts_line(data),
        "course_title": title,
        "completed_on": f"{done.day:02d}/{done.month:02d}/{done.year}",
        # Printed without "https://": shorter to type, and browsers add it.
        "verify_address": data.verify_url.split("://", 1)[-1],
        "place_and_date": f"{place}ngày {done.day} tháng {done.month} năm {done.year}",
    }.items()}
    return LEARNER.substitute(
        escaped,
        name_pt=font_size_for(name, box_pt=NAME_BOX_PT, lines=1, largest=30, smallest=14, em_width=0.66),
        title_pt=font_size_for(title, box_pt=TITLE_BOX_PT, lines=2, largest=22, smallest=10),
        qr=qr,
    )


def page_html(content: str, *, title: str = "") -> str:
    return PAGE.substitute(content=content, title=html.escape(title))


def build_html(data: CertificateData) -> str:
    """The whole certificate as one HTML document, the QR code inline SVG (the straightforward way)."""
    qr = f'<div class="qr">{qr_svg(data.verify_url)}</div>'
    return page_html(backdrop_html(data) + learner_html(data, qr=qr), title=data.serial)


class _Renderer:
    """One FontConfiguration, one parsed stylesheet, one image cache and the laid-out backdrops, per process.

    Built on first use. WeasyPrint may run in several threads at once (in-process tasks under a threaded
    server); the pikepdf objects of the kept backdrops are shared, so merging takes a lock.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._merge_lock = threading.Lock()
        self._ready = False
        self._backdrops: OrderedDict[str, tuple[pikepdf.Pdf, pikepdf.Object]] = OrderedDict()

    def _setup(self):
        from weasyprint import CSS, URLFetcher
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(CSS_PATH), font_config=self.font_config)
        self.image_cache = {}
        self.url_fetcher = URLFetcher()
        self._ready = True

    def __call__(self, html: str) -> bytes:
        """One HTML document to PDF, with the shared fonts, stylesheet and images."""
        from weasyprint import HTML

        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._setup()
        document = HTML(string=html, base_url=str(APP_DIR) + "/", url_fetcher=self.url_fetcher)
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config,
                                  cache=self.image_cache)

    def _backdrop(self, html: str) -> pikepdf.Object:
        """The backdrop's page as a form XObject, laid out on first use (at most BACKDROPS_KEPT kept)."""
        kept = self._backdrops.get(html)
        if kept is not None:
            self._backdrops.move_to_end(html)
        else:
            document = pikepdf.open(io.BytesIO(self(page_html(html))))
            kept = self._backdrops[html] = (document, document.pages[0].as_form_xobject())
            while len(self._backdrops) > BACKDROPS_KEPT:
                self._backdrops.popitem(last=False)[1][0].close()
        return kept[1]

    def certificate(self, data: CertificateData) -> bytes:
        """The certificate's own lines, laid out now, over its backdrop and under its QR code."""
        page_pdf = pikepdf.open(io.BytesIO(self(page_html(learner_html(data), title=data.serial))))
        page = page_pdf.pages[0]
        with self._merge_lock:
            page.add_underlay(page_pdf.copy_foreign(self._backdrop(backdrop_html(data))))
        # WeasyPrint leaves its coordinate system in place at the end of the page: save and restore it.
        page.contents_add(page_pdf.make_stream(b"q"), prepend=True)
        page.contents_add(page_pdf.make_stream(b"Q\n" + qr_drawing(data.verify_url)))
        output = io.BytesIO()
        page_pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()

    def close(self):
        # Drop the font configuration before interpreter shutdown, when its finalizer can no longer run.
        with self._lock:
            self.__dict__.pop("font_config", None)
            self.__dict__.pop("stylesheet", None)
            self._backdrops.clear()
            self._ready = False


renderer = _Renderer()
atexit.register(renderer.close)


def html_to_pdf_naive(html: str) -> bytes:
    """The straightforward way: a new HTML() with default options (fonts, stylesheet and images loaded
    for every document); the benchmark's baseline."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(CSS_PATH), font_config=font_config)
    return HTML(string=html, base_url=str(APP_DIR) + "/").write_pdf(stylesheets=[stylesheet], font_config=font_config)


def render(data: CertificateData) -> bytes:
    """The certificate's PDF."""
    return renderer.certificate(data)
