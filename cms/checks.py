"""System checks: private files never live where a public route serves files."""

from django.core.checks import Error, register

from .files import private_overlaps_public, private_root


@register()
def private_root_outside_public_roots(app_configs, **kwargs):
    return [
        Error(
            f"PRIVATE_MEDIA_ROOT ({private_root()}) overlaps the publicly served folder {root}.",
            hint="Keep PRIVATE_MEDIA_ROOT outside MEDIA_ROOT and STATIC_ROOT (default: var/private).",
            id="cms.E001",
        )
        for root in private_overlaps_public()
    ]
