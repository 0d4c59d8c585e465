"""Background jobs: render a certificate's PDF, re-render a whole course, and sweep up lost renders."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .models import Certificate

# A PDF still missing this long after it was requested is re-queued (its worker probably died).
MISSING_AFTER_MINUTES = getattr(settings, "CERTIFICATES_PDF_MISSING_AFTER_MINUTES", 10)


# A retry waits in the worker unacknowledged, so its delay stays under the broker's visibility timeout.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,),
             retry_backoff=True, retry_backoff_max=120, max_retries=8)
def render_certificate(self, certificate_id: int) -> str | None:
    """Render (or re-render) one PDF; repeating it overwrites the same file, never adds a certificate."""
    try:
        return services.render_pdf(certificate_id=certificate_id).pdf.name
    except Certificate.DoesNotExist:  # the learner deleted their account meanwhile
        return None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_course_job(job_id: int, after: int = 0) -> int:
    """One slice of a course re-render (the certificates after `after`); it queues the next slice itself."""
    return services.run_render_job(job_id=job_id, after=after).done


@shared_task
def sweep_missing_pdfs(older_than_minutes: float | None = None) -> int:
    """Re-queue certificates whose PDF is still missing; beat runs this every few minutes."""
    minutes = MISSING_AFTER_MINUTES if older_than_minutes is None else older_than_minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stale = list(
        Certificate.objects.filter(pdf_rendered_at__isnull=True, render_requested_at__lte=cutoff)
        .values_list("pk", flat=True)[:500]
    )
    if stale:
        Certificate.objects.filter(pk__in=stale).update(render_requested_at=timezone.now())
    for certificate_id in stale:
        render_certificate.delay(certificate_id)
    return len(stale)
