"""Reads about certificates: a learner's list and what the public may see."""

from django.db.models import QuerySet

from .models import Certificate


def my_certificates(*, learner) -> QuerySet[Certificate]:
    return Certificate.objects.filter(learner=learner).order_by("-issued_at")


def mask_name(full_name: str) -> str:
    """“Nguyễn Văn An” → “Nguyễn V** A*”: the family name stays, other words keep their first letter."""
    words = full_name.split()
    if not words:
        return ""
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])


def mask_year(year: int | None) -> str:
    return f"{str(year)[:2]}**" if year else ""


def pending_pdf(certificates) -> bool:
    return any(not certificate.pdf_ready for certificate in certificates)
