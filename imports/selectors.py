"""Reads for imports: finding a row's commune among the trainer's, and a job's rows for its preview."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from accounts.scoping import trained_communes
from places.models import Commune
from places.text import search_key

from .models import ImportJob, ImportRow

# What a commune's name may start with; people often leave it out ("Hạ Long" for "Phường Hạ Long").
KINDS = ("phuong ", "xa ", "dac khu ", "thi tran ")
MAX_LOOKUPS = 200  # distinct unknown communes looked up in the whole country, per file


def short_name(key: str) -> str:
    for kind in KINDS:
        if key.startswith(kind):
            return key[len(kind):]
    return key


class CommuneFinder:
    """A row's commune by code ("06688", or 6688 once Excel dropped the 0) or by name, with or without diacritics
    and its kind ("ha long", "Phường Hạ Long"), among the communes the viewer trains. One query for those; one
    per distinct other value, to tell a commune outside the viewer's area from one that does not exist."""

    def __init__(self, *, viewer, default: Commune):
        self.default = default
        self.mine: dict[str, Commune] = {}
        short: dict[str, list[Commune]] = {}
        for commune in trained_communes(viewer):
            key = search_key(commune.name)
            self.mine[commune.code] = commune
            self.mine[key] = commune
            short.setdefault(short_name(key), []).append(commune)
        for key, communes in short.items():
            if len(communes) == 1:  # "Hạ Long" is a ward and a commune in some provinces: then the kind is needed
                self.mine.setdefault(key, communes[0])
        self.elsewhere: dict[str, bool] = {}

    def find(self, text: str) -> tuple[Commune | None, str]:
        """(commune, "") or (None, ImportRow.Reason)."""
        if not text:
            return self.default, ""
        key = search_key(text)
        if key.isdigit() and len(key) <= 5:
            key = key.zfill(5)
        if commune := self.mine.get(key):
            return commune, ""
        if key not in self.elsewhere:
            if len(self.elsewhere) >= MAX_LOOKUPS:
                return None, ImportRow.Reason.UNKNOWN_COMMUNE
            names = [key, *(kind + key for kind in KINDS)]
            self.elsewhere[key] = Commune.objects.filter(Q(code=key) | Q(search_name__in=names)).exists()
        return None, ImportRow.Reason.OUTSIDE_AREA if self.elsewhere[key] else ImportRow.Reason.UNKNOWN_COMMUNE


ORDER = [ImportRow.Status.ERROR, ImportRow.Status.DUPLICATE, ImportRow.Status.EXISTING, ImportRow.Status.NEW]


def preview_rows(*, job: ImportJob, status: str = "") -> QuerySet[ImportRow]:
    """The job's rows, errors first, then possible duplicates, already registered and new; one status if asked."""
    rows = job.rows.select_related("commune").only(
        "number", "full_name", "phone", "year_of_birth", "status", "reason", "value", "imported",
        "commune__name", "commune__code")
    if status:
        rows = rows.filter(status=status)
    rank = Case(*(When(status=value, then=Value(n)) for n, value in enumerate(ORDER)), output_field=IntegerField())
    return rows.order_by(rank, "number")
