"""Login card PDFs: plain data in, PDF bytes out (WeasyPrint and segno, the fonts of the certificates).

A6 cards (105 × 148 mm), alone or four to an A4 page with cut lines. Nothing is stored: the PDF is made in
the request and the card's secret exists only on the paper. The wording is Vietnamese by design.
"""

import atexit
import html
import threading
from dataclasses import dataclass

import segno

from certificates.pdf import APP_DIR as CERTIFICATES_DIR
from certificates.pdf import nfc

FONTS = CERTIFICATES_DIR / "fonts"
CARDS_PER_SHEET = 4

STYLE = """
@font-face{font-family:"BVP";font-weight:400;src:url("%(regular)s")}
@font-face{font-family:"BVP";font-weight:700;src:url("%(bold)s")}
@page{size:%(page)s;margin:0}
html,body{margin:0;padding:0}
body{font-family:"BVP";color:#1a1a1a}
.sheet{position:relative;width:%(width)s;height:%(height)s;page-break-after:always;overflow:hidden}
.sheet:last-child{page-break-after:auto}
.card{position:absolute;width:105mm;height:148mm;box-sizing:border-box;padding:9mm 8mm;text-align:center}
.sheet.a4 .card{border:.4pt dashed #888}
.c0{left:0;top:0}.c1{left:105mm;top:0}.c2{left:0;top:148.5mm}.c3{left:105mm;top:148.5mm}
.title{margin:0;font-size:10pt;font-weight:700;color:#b3261e;text-transform:uppercase}
.name{margin:4mm 0 0;font-size:16pt;font-weight:700;line-height:1.2}
.place{margin:1mm 0 0;font-size:10pt}
.qr{margin:4mm auto 0;width:48mm;height:48mm}
.qr img{width:48mm;height:48mm}
.code{margin:3mm 0 0;font-size:21pt;font-weight:700;letter-spacing:1pt}
.how{margin:3mm 0 0;font-size:9.5pt;line-height:1.35}
"""

CARD = """<div class="card c%(slot)d">
<p class="title">Thẻ đăng nhập học tập</p>
<p class="name">%(name)s</p>
<p class="place">%(place)s</p>
<div class="qr"><img src="%(qr)s" alt=""></div>
<p class="code">%(code)s</p>
<p class="how">Quét mã QR bằng điện thoại, hoặc vào %(address)s và nhập mã trên. Thẻ chỉ dùng để học: \
giữ thẻ cẩn thận, mất thẻ hãy báo cán bộ hướng dẫn để cấp thẻ mới.</p>
</div>"""


@dataclass
class CardData:
    full_name: str
    commune_name: str
    code: str  # the whole code, e.g. "HL7K2M-48R9QT"
    login_url: str  # the QR code's address, with the code


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, dark="#000")


def card_html(card: CardData, slot: int) -> str:
    address = card.login_url.split("://", 1)[-1].split("?", 1)[0]  # printed without "https://" and the code
    values = {"name": nfc(card.full_name), "place": nfc(card.commune_name), "code": card.code, "address": address}
    return CARD % {"slot": slot, "qr": qr_data_uri(card.login_url),
                   **{key: html.escape(value) for key, value in values.items()}}


def build_html(cards: list[CardData], *, sheet: bool) -> str:
    per_page = CARDS_PER_SHEET if sheet else 1
    pages = []
    for start in range(0, len(cards), per_page):
        inner = "".join(card_html(card, slot) for slot, card in enumerate(cards[start:start + per_page]))
        pages.append(f'<div class="sheet{" a4" if sheet else ""}">{inner}</div>')
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thẻ đăng nhập</title></head>' \
           f'<body>{"".join(pages)}</body></html>'


class _Renderer:
    """One FontConfiguration and one stylesheet per layout, built on first use (as certificates.pdf does)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stylesheets = {}

    def _stylesheet(self, sheet: bool):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        with self._lock:
            if sheet not in self._stylesheets:
                font_config = FontConfiguration()
                size = {"page": "A4", "width": "210mm", "height": "297mm"} if sheet else \
                    {"page": "A6", "width": "105mm", "height": "148mm"}
                css = CSS(string=STYLE % {"regular": (FONTS / "BeVietnamPro_400Regular.ttf").as_uri(),
                                        "bold": (FONTS / "BeVietnamPro_700Bold.ttf").as_uri(), **size},
                          font_config=font_config)
                self._stylesheets[sheet] = (css, font_config)
            return self._stylesheets[sheet]

    def __call__(self, cards: list[CardData], *, sheet: bool) -> bytes:
        from weasyprint import HTML

        css, font_config = self._stylesheet(sheet)
        return HTML(string=build_html(cards, sheet=sheet)).write_pdf(stylesheets=[css], font_config=font_config)


    def close(self):
        # Drop the font configurations before interpreter shutdown, when their finalizers can no longer run.
        with self._lock:
            self._stylesheets.clear()


renderer = _Renderer()
atexit.register(renderer.close)


def render(cards: list[CardData], *, sheet: bool) -> bytes:
    """One A6 card per page, or (sheet) four A6 cards on each A4 page."""
    return renderer(cards, sheet=sheet)
