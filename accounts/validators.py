"""The one rule for a person's name, shared by every form and the model field that sets it."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.text import clean_text

# Between the words of a name: "H'Hen Niê", "Ksor H’Bơ", "Lê-Nguyễn", "Nguyễn V. An".
NAME_PUNCTUATION = frozenset(" '’-.")


def validate_person_name(value: str) -> None:
    """Letters (any script, with their accents) and a few separators, and at least one letter that shows."""
    text = clean_text(value)
    previous = " "
    has_letter = False
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("L"):
            has_letter = True
        elif category.startswith("M") and previous != " " and previous not in NAME_PUNCTUATION:
            pass  # a combining accent on the letter before it
        elif char not in NAME_PUNCTUATION:
            break
        previous = char
    else:
        if has_letter:
            return
    raise ValidationError(
        _("Write the name in letters, as on the identity card (for example: Nguyễn Thị Lan)."), code="name_letters"
    )
