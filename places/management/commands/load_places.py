"""Load or refresh the official provinces and communes from the `vietnam_provinces` package.

Idempotent and cheap to re-run: existing rows are compared field by field and only what
differs is created or updated. `target_population` is never touched, and communes missing
from the package are only reported (users reference them with on_delete=PROTECT).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from vietnam_provinces import Province as SourceProvince
from vietnam_provinces import Ward as SourceWard

from places.models import Commune, Province
from places.text import clean_text, search_key

PROVINCE_FIELDS = ("name", "codename", "division_type")
COMMUNE_FIELDS = ("name", "codename", "division_type", "province_id", "search_name")
BATCH_SIZE = 500


def source_provinces() -> dict[str, dict]:
    return {
        f"{int(p.code):02d}": {
            "name": clean_text(p.name),
            "codename": p.codename,
            "division_type": clean_text(p.division_type.value),
        }
        for p in SourceProvince.iter_all()
    }


def source_communes() -> dict[str, dict]:
    communes = {}
    for w in SourceWard.iter_all():
        name = clean_text(w.name)
        communes[f"{int(w.code):05d}"] = {
            "name": name,
            "codename": w.codename,
            "division_type": clean_text(w.division_type.value),
            "province_id": f"{int(w.province_code):02d}",
            "search_name": search_key(name),
        }
    return communes


def sync(model, source: dict[str, dict], fields: tuple[str, ...]) -> tuple[int, int, int, list]:
    """Create/update `model` rows to match `source`; returns created, updated, unchanged, stale."""
    existing = {row[0]: row[1:] for row in model.objects.values_list("pk", *fields)}
    to_create, to_update, unchanged = [], [], 0
    for code, values in source.items():
        wanted = tuple(values[f] for f in fields)
        current = existing.get(code)
        if current is None:
            to_create.append(model(pk=code, **values))
        elif current != wanted:
            to_update.append(model(pk=code, **values))
        else:
            unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        # Only the official fields: target_population and other local data stay as they are.
        model.objects.bulk_update(to_update, list(fields), batch_size=BATCH_SIZE)
    stale = sorted(set(existing) - set(source))
    return len(to_create), len(to_update), unchanged, stale


class Command(BaseCommand):
    help = "Load or refresh Vietnam's provinces and communes (idempotent; deletes nothing)."

    def handle(self, *args, **options):
        provinces, communes = source_provinces(), source_communes()
        with transaction.atomic():
            p_created, p_updated, p_unchanged, p_stale = sync(Province, provinces, PROVINCE_FIELDS)
            c_created, c_updated, c_unchanged, c_stale = sync(Commune, communes, COMMUNE_FIELDS)
        summary = (
            f"Provinces: {p_created} created, {p_updated} updated, {p_unchanged} unchanged; "
            f"communes: {c_created} created, {c_updated} updated, {c_unchanged} unchanged"
        )
        stale = len(p_stale) + len(c_stale)
        if stale:
            summary += f"; {stale} stale kept ({', '.join((p_stale + c_stale)[:10])}"
            summary += ", …)" if stale > 10 else ")"
        self.stdout.write(summary)
