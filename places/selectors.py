"""Read-only queries on provinces and communes (plain functions, no side effects)."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import Commune, Province
from .text import search_key

SEARCH_LIMIT = 20
MIN_QUERY_LENGTH = 2


def province_exists(code: str) -> bool:
    return Province.objects.filter(pk=code).exists()


def province_communes(code: str) -> list[dict]:
    """`{"code", "name"}` of the province's communes, alphabetical ignoring diacritics."""
    return list(
        Commune.objects.filter(province_id=code)
        .order_by("search_name", "name")
        .values("code", "name")
    )


def _word_prefix(word: str) -> Q:
    """The word starts one of the words of search_name ("long" finds "ha long", not "halong")."""
    return Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")


def search_communes(query: str, province_code: str = "", limit: int = SEARCH_LIMIT) -> QuerySet:
    """Communes whose diacritic-free name contains every word of `query` at a word start.

    Whole-phrase matches ("ha long" in "phuong ha long") come first, then alphabetical.
    Returns an empty queryset for a blank or one-letter query.
    """
    key = search_key(query)
    words = key.split()
    if len(key) < MIN_QUERY_LENGTH:
        return Commune.objects.none()
    qs = Commune.objects.all()
    for word in words:
        qs = qs.filter(_word_prefix(word))
    if province_code:
        qs = qs.filter(province_id=province_code)
    rank = Case(
        When(_word_prefix(key), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        qs.select_related("province")
        .annotate(rank=rank)
        .order_by("rank", "search_name", "code")[:limit]
    )
