"""Background jobs of the accounts app."""

from celery import shared_task

from . import sms


@shared_task(autoretry_for=(OSError, RuntimeError), retry_backoff=True, max_retries=5, run_here_if_broker_down=True,
             mask_arguments=sms.masked)
def send_sms(phone: str, message: str) -> None:
    """Send one SMS; a slow or failing gateway never blocks the page the person is on."""
    sms.send_sms(phone, message)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset_email(*, email: str, base_url: str) -> int:
    """Mail a reset link to each active account with this address (none for an unknown one)."""
    from .services import send_password_reset_email as send

    return send(email=email, base_url=base_url)
