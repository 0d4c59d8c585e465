"""Background jobs of the accounts app."""

from celery import shared_task

from . import sms


@shared_task(autoretry_for=(OSError, RuntimeError), retry_backoff=True, max_retries=5, run_here_if_broker_down=True,
             mask_arguments=sms.masked)
def send_sms(phone: str, message: str) -> None:
    """Send one SMS; a slow or failing gateway never blocks the page the person is on."""
    sms.send_sms(phone, message)
