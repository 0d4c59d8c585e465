"""Pictures for the demo courses, drawn with Pillow (nothing is downloaded): phone mock-ups with a big label.

Each picture is made once: it is looked up by title first, so running the demo builder again creates nothing.
"""

import io
import wave
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 720, 540

NAVY = (23, 43, 77)
BLUE = (26, 115, 232)
RED = (204, 32, 39)
GREEN = (22, 128, 61)
ORANGE = (230, 126, 34)
GREY = (96, 106, 118)
LIGHT = (238, 241, 245)
WHITE = (255, 255, 255)
DARK = (33, 37, 41)
PALE_BLUE = (226, 238, 253)
PALE_RED = (253, 234, 231)
PALE_GREEN = (227, 244, 232)
PALE_YELLOW = (255, 246, 214)


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (it has every Vietnamese letter) when the system has it, else Pillow's own font."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(draw: ImageDraw.ImageDraw, text: str, fnt, max_width: int) -> list[str]:
    """Break text into lines no wider than max_width; an explicit newline always breaks."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}".strip()
            if line and draw.textlength(candidate, font=fnt) > max_width:
                lines.append(line)
                line = word
            else:
                line = candidate
            while draw.textlength(line, font=fnt) > max_width and len(line) > 1:  # a web address, say
                cut = len(line) - 1
                while cut > 1 and draw.textlength(line[:cut], font=fnt) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def write(draw, xy, text, *, size=20, bold=False, fill=DARK, max_width=600, spacing=1.25, align="left") -> int:
    """Draw wrapped text from its top-left corner (or centred on x); returns the y below the last line."""
    fnt = font(size, bold)
    x, y = xy
    for line in wrap(draw, text, fnt, max_width):
        if align == "center":
            draw.text((x - draw.textlength(line, font=fnt) / 2, y), line, font=fnt, fill=fill)
        else:
            draw.text((x, y), line, font=fnt, fill=fill)
        y += round(size * spacing)
    return y


# ---------------------------------------------------------------------------------------------- shapes and icons

def phone(draw, x, y, w, h) -> tuple[int, int, int, int]:
    """A phone seen from the front; returns the screen's box."""
    draw.rounded_rectangle((x + 6, y + 8, x + w + 6, y + h + 8), radius=38, fill=(0, 0, 0, 40))
    draw.rounded_rectangle((x, y, x + w, y + h), radius=36, fill=(30, 32, 36))
    screen = (x + 12, y + 34, x + w - 12, y + h - 30)
    draw.rounded_rectangle(screen, radius=12, fill=WHITE)
    draw.rounded_rectangle((x + w / 2 - 30, y + 14, x + w / 2 + 30, y + 21), radius=4, fill=(70, 72, 78))
    draw.rounded_rectangle((x + w / 2 - 40, y + h - 19, x + w / 2 + 40, y + h - 13), radius=3, fill=(90, 92, 98))
    return screen


def status_bar(draw, box, *, fill=GREY):
    x0, y0, x1, _ = box
    draw.text((x0 + 12, y0 + 6), "9:41", font=font(13, True), fill=fill)
    draw.rounded_rectangle((x1 - 38, y0 + 9, x1 - 14, y0 + 20), radius=3, outline=fill, width=2)
    draw.rectangle((x1 - 35, y0 + 12, x1 - 22, y0 + 17), fill=fill)


def header(draw, box, title, *, color=BLUE) -> int:
    x0, y0, x1, _ = box
    draw.rectangle((x0, y0 + 28, x1, y0 + 74), fill=color)
    write(draw, (x0 + 14, y0 + 39), title, size=19, bold=True, fill=WHITE, max_width=x1 - x0 - 28)
    return y0 + 86


def button(draw, box, label, *, color=BLUE, text=WHITE, size=18):
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=(y1 - y0) // 2, fill=color)
    fnt = font(size, True)
    draw.text(((x0 + x1) / 2 - draw.textlength(label, font=fnt) / 2, (y0 + y1) / 2 - size * 0.6), label,
              font=fnt, fill=text)


def shield(draw, cx, cy, r, *, color=BLUE, mark: str | None = "check"):
    points = [(cx - r, cy - r * 0.8), (cx, cy - r * 1.1), (cx + r, cy - r * 0.8), (cx + r * 0.85, cy + r * 0.35),
              (cx, cy + r * 1.1), (cx - r * 0.85, cy + r * 0.35)]
    draw.polygon(points, fill=color)
    if mark == "check":
        draw.line([(cx - r * 0.45, cy), (cx - r * 0.1, cy + r * 0.35), (cx + r * 0.5, cy - r * 0.35)],
                  fill=WHITE, width=max(4, r // 6), joint="curve")
    elif mark == "star":
        star(draw, cx, cy, r * 0.5, fill=(255, 214, 0))


def star(draw, cx, cy, r, *, fill):
    import math

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def padlock(draw, cx, cy, s, *, color=NAVY):
    draw.arc((cx - s * 0.6, cy - s * 1.3, cx + s * 0.6, cy), start=180, end=360, fill=color, width=max(5, s // 5))
    draw.line([(cx - s * 0.6, cy - s * 0.65), (cx - s * 0.6, cy - s * 0.1)], fill=color, width=max(5, s // 5))
    draw.line([(cx + s * 0.6, cy - s * 0.65), (cx + s * 0.6, cy - s * 0.1)], fill=color, width=max(5, s // 5))
    draw.rounded_rectangle((cx - s, cy - s * 0.25, cx + s, cy + s), radius=s // 5, fill=color)
    draw.ellipse((cx - s * 0.16, cy + s * 0.2, cx + s * 0.16, cy + s * 0.52), fill=WHITE)
    draw.rectangle((cx - s * 0.06, cy + s * 0.45, cx + s * 0.06, cy + s * 0.75), fill=WHITE)


def warning_sign(draw, cx, cy, s, *, color=ORANGE):
    draw.polygon([(cx, cy - s), (cx + s * 1.1, cy + s * 0.9), (cx - s * 1.1, cy + s * 0.9)], fill=color)
    write(draw, (cx, cy - s * 0.45), "!", size=round(s * 1.1), bold=True, fill=WHITE, align="center")


def check_circle(draw, cx, cy, r, *, color=GREEN):
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    draw.line([(cx - r * 0.45, cy), (cx - r * 0.1, cy + r * 0.35), (cx + r * 0.5, cy - r * 0.35)], fill=WHITE,
              width=max(4, r // 5), joint="curve")


def bank(draw, cx, cy, s, *, color=NAVY):
    draw.polygon([(cx - s, cy - s * 0.45), (cx, cy - s), (cx + s, cy - s * 0.45)], fill=color)
    for i in range(4):
        x = cx - s * 0.75 + i * s * 0.5
        draw.rectangle((x - s * 0.1, cy - s * 0.35, x + s * 0.1, cy + s * 0.6), fill=color)
    draw.rectangle((cx - s, cy + s * 0.65, cx + s, cy + s * 0.85), fill=color)


def stamp(img: PILImage.Image, text: str, center: tuple[int, int], *, size=44, color=RED, angle=14):
    """A rubber stamp (a framed word), turned a little, laid over the picture."""
    fnt = font(size, True)
    probe = ImageDraw.Draw(img)
    w = int(probe.textlength(text, font=fnt)) + 40
    h = size + 34
    layer = PILImage.new("RGBA", (w + 8, h + 8), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.rounded_rectangle((4, 4, w + 4, h + 4), radius=10, outline=(*color, 235), width=6, fill=(255, 255, 255, 200))
    d.text((24, 14), text, font=fnt, fill=(*color, 245))
    layer = layer.rotate(angle, expand=True, resample=PILImage.Resampling.BICUBIC)
    img.paste(layer, (center[0] - layer.width // 2, center[1] - layer.height // 2), layer)


def bubble(draw, box, text, *, fill=LIGHT, text_color=DARK, size=17, link: str | None = None) -> int:
    """A message bubble that grows to fit its text; returns its bottom."""
    x0, y0, x1, _ = box
    fnt = font(size)
    lines = wrap(draw, text, fnt, x1 - x0 - 28)
    link_lines = wrap(draw, link, fnt, x1 - x0 - 28) if link else []
    height = 20 + round(size * 1.3) * (len(lines) + len(link_lines))
    draw.rounded_rectangle((x0, y0, x1, y0 + height), radius=16, fill=fill)
    draw.polygon([(x0 + 2, y0 + height - 18), (x0 - 10, y0 + height + 4), (x0 + 22, y0 + height - 2)], fill=fill)
    y = y0 + 10
    for line in lines:
        draw.text((x0 + 14, y), line, font=fnt, fill=text_color)
        y += round(size * 1.3)
    for line in link_lines:
        draw.text((x0 + 14, y), line, font=fnt, fill=BLUE)
        draw.line([(x0 + 14, y + size + 2), (x0 + 14 + draw.textlength(line, font=fnt), y + size + 2)], fill=BLUE)
        y += round(size * 1.3)
    return y0 + height


# ------------------------------------------------------------------------------------------------ phone screens

def screen_call(img, draw, box, t):
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=12, fill=(31, 45, 64))
    status_bar(draw, box, fill=(200, 210, 220))
    cx = (x0 + x1) // 2
    write(draw, (cx, y0 + 52), t["incoming"], size=16, fill=(200, 210, 220), align="center", max_width=x1 - x0 - 20)
    draw.ellipse((cx - 42, y0 + 86, cx + 42, y0 + 170), fill=(74, 92, 116))
    draw.ellipse((cx - 16, y0 + 102, cx + 16, y0 + 134), fill=(200, 210, 220))
    draw.pieslice((cx - 30, y0 + 136, cx + 30, y0 + 196), start=180, end=360, fill=(200, 210, 220))
    y = write(draw, (cx, y0 + 186), t["caller"], size=22, bold=True, fill=WHITE, align="center",
              max_width=x1 - x0 - 24)
    y = write(draw, (cx, y + 2), t["number"], size=17, fill=(200, 210, 220), align="center", max_width=x1 - x0 - 20)
    draw.rounded_rectangle((x0 + 16, y + 10, x1 - 16, y + 70), radius=10, fill=(255, 236, 179))
    write(draw, (cx, y + 18), t["says"], size=15, bold=True, fill=(120, 60, 0), align="center",
          max_width=x1 - x0 - 50)
    for offset, color, label in ((-62, RED, t["decline"]), (62, GREEN, t["accept"])):
        draw.ellipse((cx + offset - 30, y1 - 104, cx + offset + 30, y1 - 44), fill=color)
        draw.rounded_rectangle((cx + offset - 14, y1 - 80, cx + offset + 14, y1 - 68), radius=5, fill=WHITE)
        write(draw, (cx + offset, y1 - 38), label, size=13, fill=WHITE, align="center", max_width=110)


def screen_messages(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    y = header(draw, box, t["sender"], color=t.get("color", (70, 80, 95)))
    for text in t["bubbles"]:
        y = bubble(draw, (x0 + 18, y, x1 - 16, y1), text, link=t.get("link") if text == t["bubbles"][-1] else None)
        y += 18
    if t.get("stamp"):
        stamp(img, t["stamp"], ((x0 + x1) // 2, min(y + 40, y1 - 60)), size=38)


def screen_store(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    draw.rounded_rectangle((x0 + 12, y0 + 32, x1 - 12, y0 + 70), radius=19, fill=LIGHT)
    draw.ellipse((x0 + 24, y0 + 42, x0 + 40, y0 + 58), outline=GREY, width=3)
    draw.line([(x0 + 38, y0 + 56), (x0 + 45, y0 + 63)], fill=GREY, width=3)
    write(draw, (x0 + 54, y0 + 40), t["query"], size=17, fill=DARK, max_width=x1 - x0 - 70)
    y = y0 + 92
    draw.rounded_rectangle((x0 + 16, y, x0 + 96, y + 80), radius=18, fill=t.get("icon_color", RED))
    write(draw, (x0 + 56, y + 24), t["icon"], size=20, bold=True, fill=WHITE, align="center", max_width=76)
    after = write(draw, (x0 + 110, y + 2), t["app"], size=20, bold=True, fill=DARK, max_width=x1 - x0 - 124)
    write(draw, (x0 + 110, after + 2), t["developer"], size=14, fill=GREEN, max_width=x1 - x0 - 124)
    y += 108
    button(draw, (x0 + 16, y, x1 - 16, y + 44), t["install"], color=GREEN)
    y += 64
    for label in t["facts"]:
        check_circle(draw, x0 + 28, y + 10, 10)
        y = write(draw, (x0 + 46, y), label, size=15, fill=GREY, max_width=x1 - x0 - 60) + 8


def screen_form(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    y = header(draw, box, t["screen_title"], color=t.get("color", BLUE))
    for label, value in t["fields"]:
        y = write(draw, (x0 + 16, y), label, size=14, fill=GREY, max_width=x1 - x0 - 32)
        warn = value.startswith("!")
        value = value.lstrip("!")
        draw.rounded_rectangle((x0 + 14, y + 2, x1 - 14, y + 40), radius=8, fill=PALE_RED if warn else LIGHT,
                               outline=RED if warn else (200, 205, 212), width=3 if warn else 1)
        write(draw, (x0 + 26, y + 11), value, size=16, bold=warn, fill=RED if warn else DARK, max_width=x1 - x0 - 52)
        y += 54
    if t.get("note"):
        y = write(draw, (x0 + 16, y), t["note"], size=14, fill=RED if t.get("note_red") else GREY,
                  max_width=x1 - x0 - 32) + 6
    button(draw, (x0 + 16, y1 - 64, x1 - 16, y1 - 20), t["button"], color=t.get("color", BLUE))


def screen_passcode(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    cx = (x0 + x1) // 2
    shield(draw, cx, y0 + 78, 26, color=RED, mark="star")
    write(draw, (cx, y0 + 118), t["screen_title"], size=17, bold=True, fill=DARK, align="center",
          max_width=x1 - x0 - 20)
    for i in range(6):
        x = cx - 75 + i * 30
        if i < 4:
            draw.ellipse((x - 8, y0 + 166, x + 8, y0 + 182), fill=NAVY)
        else:
            draw.ellipse((x - 8, y0 + 166, x + 8, y0 + 182), outline=NAVY, width=2)
    keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", "⌫"]
    for i, key in enumerate(keys):
        col, row = i % 3, i // 3
        kx, ky = cx - 70 + col * 70, y0 + 224 + row * 56
        if key:
            draw.ellipse((kx - 24, ky - 24, kx + 24, ky + 24), fill=LIGHT)
            write(draw, (kx, ky - 12), key, size=20, fill=DARK, align="center", max_width=40)


def screen_card(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    y = header(draw, box, t["screen_title"], color=RED)
    draw.rounded_rectangle((x0 + 14, y, x1 - 14, y + 150), radius=12, fill=PALE_YELLOW, outline=(214, 170, 60),
                           width=2)
    write(draw, (x0 + 24, y + 8), t["card"], size=13, bold=True, fill=(130, 80, 0), max_width=x1 - x0 - 48)
    draw.rounded_rectangle((x0 + 24, y + 40, x0 + 84, y + 120), radius=6, fill=(210, 220, 232))
    draw.ellipse((x0 + 40, y + 52, x0 + 68, y + 80), fill=(150, 165, 185))
    draw.pieslice((x0 + 30, y + 82, x0 + 78, y + 130), start=180, end=360, fill=(150, 165, 185))
    write(draw, (x0 + 94, y + 44), t["holder"], size=15, bold=True, fill=DARK, max_width=x1 - x0 - 110)
    write(draw, (x0 + 94, y + 70), t["number"], size=13, fill=GREY, max_width=x1 - x0 - 110)
    y += 170
    for label in t["items"]:
        draw.rounded_rectangle((x0 + 14, y, x1 - 14, y + 40), radius=8, fill=LIGHT)
        write(draw, (x0 + 26, y + 10), label, size=15, fill=DARK, max_width=x1 - x0 - 52)
        y += 50


def screen_browser(img, draw, box, t):
    x0, y0, x1, y1 = box
    status_bar(draw, box)
    draw.rounded_rectangle((x0 + 10, y0 + 30, x1 - 10, y0 + 64), radius=17, fill=LIGHT)
    padlock(draw, x0 + 28, y0 + 44, 7, color=GREEN)
    write(draw, (x0 + 42, y0 + 37), t["url"], size=15, bold=True, fill=DARK, max_width=x1 - x0 - 60)
    draw.rectangle((x0, y0 + 76, x1, y0 + 128), fill=(178, 34, 34))
    star(draw, x0 + 30, y0 + 102, 14, fill=(255, 214, 0))
    write(draw, (x0 + 52, y0 + 84), t["site"], size=15, bold=True, fill=WHITE, max_width=x1 - x0 - 64)
    y = y0 + 144
    if t.get("search"):
        draw.rounded_rectangle((x0 + 14, y, x1 - 14, y + 40), radius=8, outline=GREY, width=2)
        write(draw, (x0 + 26, y + 10), t["search"], size=16, fill=DARK, max_width=x1 - x0 - 52)
        y += 56
    for line in t.get("lines", []):
        draw.rounded_rectangle((x0 + 14, y, x1 - 14, y + 46), radius=8, fill=PALE_BLUE)
        write(draw, (x0 + 24, y + 6), line, size=14, fill=NAVY, max_width=x1 - x0 - 48)
        y += 56
    if t.get("done"):
        check_circle(draw, (x0 + x1) // 2, y + 36, 30)
        y = write(draw, ((x0 + x1) // 2, y + 76), t["done"], size=18, bold=True, fill=GREEN, align="center",
                  max_width=x1 - x0 - 20)
        draw.rounded_rectangle((x0 + 14, y + 8, x1 - 14, y + 50), radius=8, fill=PALE_YELLOW)
        write(draw, ((x0 + x1) // 2, y + 18), t["code"], size=16, bold=True, fill=DARK, align="center",
              max_width=x1 - x0 - 30)
    if t.get("button"):
        button(draw, (x0 + 16, y1 - 64, x1 - 16, y1 - 20), t["button"], color=BLUE)


SCREENS = {
    "call": screen_call, "messages": screen_messages, "store": screen_store, "form": screen_form,
    "passcode": screen_passcode, "card": screen_card, "browser": screen_browser,
}


# ----------------------------------------------------------------------------------------------------- pictures

def scene(t: dict) -> PILImage.Image:
    """A phone on the left showing a screen, and a big label (with an icon) on the right."""
    img = PILImage.new("RGB", (WIDTH, HEIGHT), t.get("background", PALE_BLUE))
    draw = ImageDraw.Draw(img, "RGBA")
    screen = phone(draw, 36, 22, 282, 496)
    SCREENS[t["screen"]](img, draw, screen, t)
    size = 40
    while size > 28 and max(draw.textlength(word, font=font(size, True)) for word in t["label"].split()) > 330:
        size -= 2  # a long word (a web address) gets smaller letters rather than a broken line
    y = write(draw, (356, 56), t["label"], size=size, bold=True, fill=t.get("label_color", NAVY), max_width=330,
              spacing=1.22)
    if t.get("sub"):
        y = write(draw, (358, y + 14), t["sub"], size=26, fill=DARK, max_width=330, spacing=1.28)
    icon = t.get("icon")
    if icon:
        cx, cy = 520, max(y + 90, 420)
        if icon == "shield":
            shield(draw, cx, cy, 56, color=GREEN)
        elif icon == "lock":
            padlock(draw, cx, cy, 46)
        elif icon == "warning":
            warning_sign(draw, cx, cy, 56)
        elif icon == "check":
            check_circle(draw, cx, cy, 54)
    return img


def banner(t: dict, size: tuple[int, int] = (720, 360)) -> PILImage.Image:
    """A cover: a title on the left, a phone and a symbol on the right."""
    w, h = size
    img = PILImage.new("RGB", size, t.get("background", NAVY))
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse((w - 330, -120, w + 80, 290), fill=(255, 255, 255, 28))
    draw.ellipse((-90, h - 110, 170, h + 150), fill=(255, 255, 255, 20))
    y = write(draw, (40, 60), t["heading"], size=40, bold=True, fill=WHITE, max_width=400, spacing=1.2)
    write(draw, (42, y + 16), t["sub"], size=24, fill=(220, 230, 245), max_width=410)
    screen = phone(draw, w - 230, 40, 150, 280)
    x0, y0, x1, y1 = screen
    draw.rounded_rectangle(screen, radius=10, fill=t.get("screen", PALE_BLUE))
    symbol = t.get("symbol", "shield")
    if symbol == "shield":
        shield(draw, (x0 + x1) // 2, (y0 + y1) // 2 - 10, 44, color=GREEN)
    elif symbol == "card":
        draw.rounded_rectangle((x0 + 10, y0 + 60, x1 - 10, y0 + 150), radius=8, fill=PALE_YELLOW,
                               outline=(214, 170, 60), width=2)
        draw.rounded_rectangle((x0 + 18, y0 + 76, x0 + 50, y0 + 120), radius=4, fill=(150, 165, 185))
        for i in range(3):
            draw.rectangle((x0 + 58, y0 + 80 + i * 14, x1 - 20 - i * 12, y0 + 86 + i * 14), fill=(200, 180, 120))
        write(draw, ((x0 + x1) // 2, y0 + 170), t.get("screen_label", ""), size=22, bold=True, fill=RED,
              align="center", max_width=x1 - x0)
    if t.get("stamp"):
        stamp(img, t["stamp"], (w - 150, 250), size=30, angle=-12)
    return img


def poster(t: dict) -> PILImage.Image:
    """A 16:9 video poster: a play button over a plain background, and the subject in large letters."""
    img = PILImage.new("RGB", (720, 405), t.get("background", (28, 38, 58)))
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse((470, -80, 820, 270), fill=(255, 255, 255, 22))
    draw.ellipse((300, 110, 420, 230), fill=(255, 255, 255, 235))
    draw.polygon([(345, 140), (345, 200), (395, 170)], fill=RED)
    write(draw, (360, 262), t["heading"], size=30, bold=True, fill=WHITE, align="center", max_width=620)
    write(draw, (360, 40), t["kicker"], size=18, fill=(210, 220, 235), align="center", max_width=620)
    return img


def helpers(t: dict) -> PILImage.Image:
    """Three things to do after a scam, side by side, each with a symbol and a short label."""
    img = PILImage.new("RGB", (WIDTH, HEIGHT), PALE_YELLOW)
    draw = ImageDraw.Draw(img, "RGBA")
    write(draw, (360, 34), t["label"], size=34, bold=True, fill=NAVY, align="center", max_width=660)
    for i, (title, text) in enumerate(t["columns"]):
        x = 20 + i * 232
        draw.rounded_rectangle((x, 110, x + 216, 450), radius=18, fill=WHITE, outline=(230, 214, 160), width=2)
        cx = x + 108
        draw.ellipse((cx - 26, 124, cx + 26, 176), fill=NAVY)
        write(draw, (cx, 132), str(i + 1), size=30, bold=True, fill=WHITE, align="center", max_width=40)
        if i == 0:
            bank(draw, cx, 250, 46)
        elif i == 1:
            shield(draw, cx, 250, 46, color=BLUE, mark="star")
        else:
            draw.ellipse((cx - 52, 198, cx + 52, 302), fill=RED)
            write(draw, (cx, 230), "113", size=34, bold=True, fill=WHITE, align="center", max_width=100)
        y = write(draw, (cx, 316), title, size=23, bold=True, fill=DARK, align="center", max_width=196)
        write(draw, (cx, y + 6), text, size=18, fill=GREY, align="center", max_width=196)
    write(draw, (360, 470), t["footer"], size=21, bold=True, fill=RED, align="center", max_width=660)
    return img


KINDS: dict[str, Callable[[dict], PILImage.Image]] = {
    "scene": scene, "banner": banner, "poster": poster, "helpers": helpers,
}


def render(spec: dict) -> bytes:
    """Draw a picture from its description and return it as a JPEG."""
    picture = KINDS[spec["kind"]](spec)
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


# ----------------------------------------------------------------------------------------- Wagtail images, once

class DemoImages:
    """Wagtail images for the demo courses, made on first use and found by title afterwards."""

    def __init__(self, specs: dict[str, dict[str, dict]]):
        self.specs = specs  # key -> language -> description (with a "name")
        self.made: dict[tuple[str, str], int] = {}

    def id(self, key: str, language: str) -> int:
        if (key, language) not in self.made:
            self.made[key, language] = self._get_or_create(key, language).pk
        return self.made[key, language]

    def for_language(self, language: str) -> Callable[[str], int]:
        return lambda key: self.id(key, language)

    def _get_or_create(self, key: str, language: str):
        from wagtail.images import get_image_model

        spec = self.specs[key][language]
        model = get_image_model()
        existing = model.objects.filter(title=spec["name"]).order_by("pk").first()
        if existing:
            return existing
        image = model(title=spec["name"], file=ImageFile(io.BytesIO(render(spec)), name=f"demo-{key}-{language}.jpg"))
        image._set_image_file_metadata()
        image.save()
        return image


def silent_wav(seconds: float = 2.0, rate: int = 8000) -> bytes:
    """A tiny, valid WAV file of silence (8-bit mono): a stand-in until a real narration is recorded."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(rate)
        wav.writeframes(bytes([128]) * int(seconds * rate))
    return out.getvalue()


def demo_audio(title: str, filename: str = "demo-ban-ghi-am-mau.wav"):
    """A Wagtail document holding a short silent recording, found by title on later runs."""
    from wagtail.documents import get_document_model

    model = get_document_model()
    existing = model.objects.filter(title=title).order_by("pk").first()
    if existing:
        return existing
    document = model(title=title, file=ContentFile(silent_wav(), name=filename))
    document._set_document_file_metadata()
    document.save()
    return document


# ------------------------------------------------------------------------------------------- the demo pictures

def _both(common: dict, vi: dict, en: dict) -> dict[str, dict]:
    return {"vi": {**common, **vi}, "en": {**common, **en}}


SPECS: dict[str, dict[str, dict]] = {
    # Course "Nhận biết và phòng tránh lừa đảo trên mạng", in Vietnamese and English.
    "scam-cover": _both(
        {"kind": "banner", "background": (120, 24, 32), "symbol": "shield"},
        {"name": "[demo] Ảnh bìa: phòng tránh lừa đảo", "stamp": "LỪA ĐẢO", "heading": "Cảnh giác lừa đảo trên mạng",
         "sub": "Cuộc gọi lạ, tin nhắn lạ, mã OTP: dừng lại và kiểm tra."},
        {"name": "[demo] Cover: avoiding scams", "stamp": "SCAM", "heading": "Stay safe from online scams",
         "sub": "Strange calls, strange messages, OTP codes: stop and check."},
    ),
    "scam-call": _both(
        {"kind": "scene", "screen": "call", "background": PALE_RED, "icon": "warning"},
        {"name": "[demo] Cuộc gọi giả danh công an", "incoming": "Cuộc gọi đến", "caller": "Số lạ",
         "number": "+84 89 xxx xxxx", "says": "“Tôi là công an. Bác phải chuyển tiền ngay!”",
         "decline": "Từ chối", "accept": "Trả lời",
         "label": "Số lạ tự xưng công an?", "sub": "Cúp máy. Tự đến cơ quan để hỏi."},
        {"name": "[demo] Caller pretending to be the police", "incoming": "Incoming call", "caller": "Unknown",
         "number": "+84 89 xxx xxxx", "says": "“This is the police. You must transfer money now!”",
         "decline": "Decline", "accept": "Answer",
         "label": "A stranger says he is the police?", "sub": "Hang up. Go and ask in person."},
    ),
    "scam-otp": _both(
        {"kind": "scene", "screen": "messages", "background": PALE_BLUE, "icon": "lock", "color": NAVY},
        {"name": "[demo] Tin nhắn chứa mã OTP", "sender": "Ngân hàng",
         "bubbles": ["Mã OTP của bạn là 486219. Mã có hiệu lực 3 phút.",
                     "TUYỆT ĐỐI KHÔNG cung cấp mã này cho bất kỳ ai."],
         "label": "Mã OTP là chìa khóa két tiền", "sub": "Không đọc, không gửi cho ai."},
        {"name": "[demo] A text message with an OTP code", "sender": "Your bank",
         "bubbles": ["Your OTP code is 486219. It is valid for 3 minutes.",
                     "NEVER give this code to anyone."],
         "label": "An OTP code is the key to your money", "sub": "Never read it out or send it to anyone."},
    ),
    "scam-sms-link": _both(
        {"kind": "scene", "screen": "messages", "background": PALE_RED, "icon": "warning"},
        {"name": "[demo] Tin nhắn lừa đảo có đường link lạ", "sender": "+84 93 xxx xxxx",
         "bubbles": ["Tài khoản của quý khách đã bị KHÓA. Bấm vào đường link sau để mở lại ngay:"],
         "link": "http://mo-khoa-tai-khoan.vip", "stamp": "LỪA ĐẢO",
         "label": "Đừng bấm vào đường link lạ", "sub": "Muốn hỏi ngân hàng, hãy mở ứng dụng có sẵn."},
        {"name": "[demo] Scam text message with a strange link", "sender": "+84 93 xxx xxxx",
         "bubbles": ["Your bank account has been LOCKED. Tap the link below to unlock it now:"],
         "link": "http://unlock-your-account.vip", "stamp": "SCAM",
         "label": "Do not tap strange links", "sub": "To ask your bank, open the app you already have."},
    ),
    "scam-store": _both(
        {"kind": "scene", "screen": "store", "background": PALE_GREEN, "icon": "shield", "icon_color": BLUE},
        {"name": "[demo] Cài ứng dụng từ cửa hàng ứng dụng", "query": "ngân hàng của tôi", "icon": "NH",
         "app": "Ngân hàng của tôi", "developer": "Nhà phát triển: đúng tên ngân hàng", "install": "Cài đặt",
         "facts": ["Hàng triệu lượt tải", "Đúng tên nhà phát triển"],
         "label": "Chỉ cài từ CH Play hoặc App Store", "sub": "Xem kỹ tên nhà phát triển."},
        {"name": "[demo] Installing an app from the app store", "query": "my bank", "icon": "BANK",
         "app": "My Bank", "developer": "Developer: the bank's real name", "install": "Install",
         "facts": ["Millions of downloads", "The right developer name"],
         "label": "Install apps only from Google Play or the App Store", "sub": "Check the developer's name."},
    ),
    "scam-chat": _both(
        {"kind": "scene", "screen": "messages", "background": PALE_YELLOW, "icon": "warning", "color": BLUE},
        {"name": "[demo] Tin nhắn mượn tiền gấp", "sender": "Chị Hoa (Zalo)",
         "bubbles": ["Em ơi, chị đang kẹt, cho chị mượn gấp 5 triệu, chiều chị trả nhé!",
                     "Chuyển vào số tài khoản này giúp chị, nhanh lên em."],
         "label": "Dừng lại!", "sub": "Người quen hỏi mượn tiền gấp qua tin nhắn? Đừng chuyển ngay."},
        {"name": "[demo] Message asking to borrow money urgently", "sender": "Hoa (Zalo)",
         "bubbles": ["Hi dear, I'm stuck. Can you lend me 5 million right now? I'll pay you back this afternoon!",
                     "Send it to this account for me, quickly please."],
         "label": "Stop!", "sub": "Someone you know asks for money urgently by message? Don't transfer yet."},
    ),
    "scam-callback": _both(
        {"kind": "scene", "screen": "call", "background": PALE_GREEN, "icon": "check"},
        {"name": "[demo] Gọi lại bằng số đã lưu", "incoming": "Đang gọi…", "caller": "Chị Hoa",
         "number": "Số đã lưu trong danh bạ", "says": "“Chị có nhắn mượn tiền em không?”",
         "decline": "Kết thúc", "accept": "Loa ngoài",
         "label": "Gọi lại bằng số bạn đã lưu", "sub": "Hỏi thẳng người thân trước khi chuyển."},
        {"name": "[demo] Calling back on a saved number", "incoming": "Calling…", "caller": "Hoa",
         "number": "Number saved in your contacts", "says": "“Did you message me to borrow money?”",
         "decline": "End", "accept": "Speaker",
         "label": "Call back on the number you saved", "sub": "Ask them yourself before you transfer."},
    ),
    "scam-transfer": _both(
        {"kind": "scene", "screen": "form", "background": PALE_BLUE, "icon": "warning", "note_red": True,
         "color": GREEN},
        {"name": "[demo] Màn hình xác nhận chuyển tiền", "screen_title": "Chuyển tiền", "fields": [
            ("Tên người nhận", "!TRAN VAN BINH"), ("Số tài khoản", "0123 456 789"), ("Số tiền", "5.000.000 đ")],
         "note": "Bạn định gửi cho chị Hoa, nhưng tên người nhận lại khác!", "button": "Xác nhận",
         "label": "Đọc kỹ tên người nhận", "sub": "Tên không đúng: dừng lại, không chuyển."},
        {"name": "[demo] Money transfer confirmation screen", "screen_title": "Transfer money", "fields": [
            ("Recipient's name", "!TRAN VAN BINH"), ("Account number", "0123 456 789"),
            ("Amount", "5,000,000 VND")],
         "note": "You meant to send money to Hoa, but the recipient's name is different!", "button": "Confirm",
         "label": "Read the recipient's name", "sub": "If the name is wrong: stop, do not transfer."},
    ),
    "scam-video": _both(
        {"kind": "poster", "background": (90, 20, 28)},
        {"name": "[demo] Ảnh video: phòng tránh lừa đảo", "kicker": "Video bài giảng",
         "heading": "Phòng tránh lừa đảo trên mạng"},
        {"name": "[demo] Video poster: avoiding scams", "kicker": "Video lessons", "heading": "Avoiding online scams"},
    ),
    "scam-help": _both(
        {"kind": "helpers"},
        {"name": "[demo] Ba việc cần làm khi bị lừa", "label": "Lỡ bị lừa? Làm ngay ba việc",
         "columns": [("Gọi ngân hàng", "Báo và khóa tài khoản ngay"),
                     ("Báo công an", "Đến công an xã, phường gần nhất"),
                     ("Gọi 113", "Khi nguy hiểm, cần giúp khẩn cấp")],
         "footer": "Đừng xấu hổ, đừng giấu: báo càng sớm càng tốt."},
        {"name": "[demo] Three things to do after a scam", "label": "Scammed? Do three things now",
         "columns": [("Call your bank", "Report it and lock your account"),
                     ("Tell the police", "Go to your commune police station"),
                     ("Call 113", "If you are in danger or need urgent help")],
         "footer": "Don't be ashamed and don't hide it: report it as soon as you can."},
    ),
    # Course "Sử dụng VNeID và dịch vụ công trực tuyến", in Vietnamese.
    "vneid-cover": {"vi": {
        "kind": "banner", "name": "[demo] Ảnh bìa: VNeID và dịch vụ công", "background": (20, 60, 120),
        "symbol": "card", "screen": WHITE, "heading": "VNeID và dịch vụ công trực tuyến", "screen_label": "VNeID",
        "sub": "Giấy tờ trên điện thoại, thủ tục làm tại nhà."}},
    "vneid-app": {"vi": {
        "kind": "scene", "screen": "card", "name": "[demo] Ứng dụng VNeID trên điện thoại", "background": PALE_BLUE,
        "screen_title": "VNeID", "card": "THẺ CĂN CƯỚC (bản điện tử)", "holder": "NGUYỄN VĂN A",
        "number": "Số định danh: 0xx xxx xxx xxx",
        "items": ["Ví giấy tờ", "Dịch vụ công", "Thông báo lưu trú"],
        "label": "VNeID: giấy tờ tùy thân trên điện thoại", "sub": "Ứng dụng của Bộ Công an, miễn phí.",
        "icon": "shield"}},
    "vneid-store": {"vi": {
        "kind": "scene", "screen": "store", "name": "[demo] Tìm VNeID trong cửa hàng ứng dụng",
        "background": PALE_GREEN, "query": "VNeID", "icon": "VNeID", "icon_color": RED, "app": "VNeID",
        "developer": "Nhà phát triển: đơn vị thuộc Bộ Công an", "install": "Cài đặt",
        "facts": ["Miễn phí", "Chỉ cài từ CH Play, App Store"],
        "label": "Bước 1: Cài VNeID", "sub": "Tìm đúng tên, xem kỹ nhà phát triển."}},
    "vneid-activate": {"vi": {
        "kind": "scene", "screen": "form", "name": "[demo] Kích hoạt tài khoản VNeID", "background": PALE_BLUE,
        "screen_title": "Kích hoạt tài khoản",
        "color": RED, "fields": [("Số định danh cá nhân", "0xx xxx xxx xxx"), ("Số điện thoại", "09xx xxx xxx"),
                                 ("Mã kích hoạt (trong tin nhắn)", "• • • • • •")],
        "note": "Mã kích hoạt chỉ gửi về số điện thoại của bạn.", "button": "Kích hoạt",
        "label": "Bước 2: Nhập số định danh và số điện thoại", "sub": "12 số in trên thẻ căn cước."}},
    "vneid-passcode": {"vi": {
        "kind": "scene", "screen": "passcode", "name": "[demo] Nhập mã khóa 6 số", "background": PALE_YELLOW,
        "screen_title": "Nhập mã khóa (passcode)",
        "label": "Mã khóa 6 số: chỉ mình bạn biết", "sub": "Không dùng ngày sinh hay 123456.", "icon": "lock"}},
    "dvc-login": {"vi": {
        "kind": "scene", "screen": "browser", "name": "[demo] Đăng nhập Cổng Dịch vụ công quốc gia",
        "background": PALE_BLUE, "url": "dichvucong.gov.vn", "site": "Cổng Dịch vụ công quốc gia",
        "lines": ["Đăng nhập bằng tài khoản định danh điện tử (VNeID)"], "button": "Đăng nhập",
        "label": "Đúng địa chỉ: dichvucong.gov.vn", "sub": "Trang của cơ quan nhà nước có đuôi .gov.vn."}},
    "dvc-search": {"vi": {
        "kind": "scene", "screen": "browser", "name": "[demo] Tìm thủ tục trên Cổng Dịch vụ công",
        "background": PALE_GREEN, "url": "dichvucong.gov.vn", "site": "Cổng Dịch vụ công quốc gia",
        "search": "lý lịch tư pháp", "lines": ["Cấp phiếu lý lịch tư pháp", "Nộp trực tuyến · Chọn tỉnh, thành"],
        "button": "Nộp trực tuyến", "label": "Gõ tên thủ tục để tìm", "sub": "Chọn đúng thủ tục và nơi nộp."}},
    "dvc-done": {"vi": {
        "kind": "scene", "screen": "browser", "name": "[demo] Nộp hồ sơ thành công", "background": PALE_GREEN,
        "url": "dichvucong.gov.vn", "site": "Cổng Dịch vụ công quốc gia", "done": "Nộp hồ sơ thành công",
        "code": "Mã hồ sơ: 2025-000123", "label": "Ghi lại mã hồ sơ",
        "sub": "Dùng mã này để tra cứu kết quả sau."}},
    "dvc-video": {"vi": {
        "kind": "poster", "name": "[demo] Ảnh video: dịch vụ công trực tuyến", "background": (20, 50, 100),
        "kicker": "Video hướng dẫn", "heading": "Nộp hồ sơ trên Cổng Dịch vụ công"}},
    "vneid-safe": {"vi": {
        "kind": "scene", "screen": "messages", "name": "[demo] Cuộc gọi mời cài VNeID qua đường link",
        "background": PALE_RED, "sender": "+84 70 xxx xxxx", "color": (70, 80, 95),
        "bubbles": ["Công an phường thông báo: tài khoản VNeID của bạn cần cập nhật. Cài bản mới tại đây:"],
        "link": "http://vneid-capnhat.app", "stamp": "LỪA ĐẢO",
        "label": "Không cài VNeID qua đường link", "sub": "Chỉ cập nhật từ CH Play hoặc App Store.",
        "icon": "warning"}},
}
