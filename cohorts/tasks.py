"""Background jobs of the cohorts app."""

from celery import shared_task


@shared_task(acks_late=True)
def deliver_cohort_message(message_id: int) -> int | None:
    """Send one cohort message by SMS; the service claims the message first, so a repeated run sends nothing."""
    from .services import deliver_message

    message = deliver_message(message_id=message_id)
    return message.recipients if message else None
