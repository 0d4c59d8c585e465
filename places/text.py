"""Text helpers for Vietnamese input: NFC normalisation and diacritic-free search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC-normalise, trim and collapse whitespace: what every input boundary stores."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def search_key(value: str | None) -> str:
    """Lower-case text without diacritics, so "ha long" finds "Phường Hạ Long"."""
    decomposed = unicodedata.normalize("NFD", clean_text(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")
