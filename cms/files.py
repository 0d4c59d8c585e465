"""Which folders are public (served to anyone) and which are private, and the one rule between them."""

from pathlib import Path

from django.conf import settings


def public_roots() -> list[Path]:
    """Every folder some route serves files from: uploads, collected static files, whitenoise's extra root."""
    roots = [settings.MEDIA_ROOT, settings.STATIC_ROOT, getattr(settings, "WHITENOISE_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots if root]


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def overlaps(first: Path, second: Path) -> bool:
    """One folder is the other or lies inside it (after resolving symlinks and dot segments)."""
    return first.is_relative_to(second) or second.is_relative_to(first)


def private_overlaps_public() -> list[Path]:
    """The public roots that would expose private files (or be exposed by them); empty when all is well."""
    private = private_root()
    return [root for root in public_roots() if overlaps(private, root)]


# Private files were kept here, inside MEDIA_ROOT, before PRIVATE_MEDIA_ROOT; until `prepare_site` moves
# them out, the folder counts as private too.
LEGACY_PRIVATE_FOLDER = "private-certificates"


def is_private(path: Path) -> bool:
    real = path.resolve()
    legacy = (Path(settings.MEDIA_ROOT) / LEGACY_PRIVATE_FOLDER).resolve()
    return real.is_relative_to(private_root()) or real.is_relative_to(legacy)
