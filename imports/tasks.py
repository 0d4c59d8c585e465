"""Background jobs: import a confirmed file's rows, a batch per task, each queueing the next."""

from celery import shared_task
from django.db import IntegrityError

RETRIES = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def import_rows(self, job_id: int) -> bool:
    from . import services

    try:
        more = services.import_next_batch(job_id=job_id)
    except IntegrityError as error:  # a number registered at the same moment: the next try finds it
        if self.request.retries < RETRIES:
            raise self.retry(exc=error, countdown=1) from error
        services.fail_import(job_id=job_id)
        raise
    except Exception:
        services.fail_import(job_id=job_id)
        raise
    if more:
        import_rows.delay(job_id)
    return more
