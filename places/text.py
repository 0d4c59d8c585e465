"""Text helpers for Vietnamese input: NFC normalisation, invisible characters dropped, diacritic-free search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters that show nothing or something other than what is stored: format characters (zero-width
# spaces and joiners, bidi overrides such as U+202E, soft hyphens), controls, private use (no standard glyph),
# unassigned code points (no glyph in any font yet) and lone surrogates (not encodable as UTF-8).
# Line and paragraph separators are whitespace, so they become one space like tabs and newlines.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs"})
# Unicode's other default-ignorable characters (DerivedCoreProperties.txt), which no category above catches:
# marks and letters that show nothing (combining grapheme joiner, Khmer inherent vowels, variation selectors,
# Hangul fillers).
_IGNORABLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
                        "\U000e0100-\U000e01ef]")


def clean_text(value: str | None) -> str:
    """NFC-normalise, drop invisible characters, trim and collapse whitespace: what every input boundary stores."""
    if not value:
        return ""
    text = _SPACES.sub(" ", str(value))  # first: a tab between two words stays a space
    text = "".join(char for char in _IGNORABLE.sub("", text) if unicodedata.category(char) not in INVISIBLE_CATEGORIES)
    # NFC after dropping: a zero-width character between a letter and its accent no longer keeps them apart.
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def search_key(value: str | None) -> str:
    """Lower-case text without diacritics, so "ha long" finds "Phường Hạ Long"."""
    decomposed = unicodedata.normalize("NFD", clean_text(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")
