"""Writing to the audit log: one call, from the service that did the thing."""

from .models import AuditEntry


def record(*, actor, action: str, subject: str = "", commune=None, **details) -> AuditEntry:
    """Record that `actor` did `action` (e.g. "cohort.export", "cohort.message") about `subject`."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, subject=subject[:200], commune=commune, details=details,
    )
