"""Background jobs of the courses app."""

from celery import shared_task
from wagtail.models import Page

from .images import make_renditions


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def prepare_page_images(page_id: int) -> int:
    """Make a published page's picture sizes ahead of its first reader."""
    page = Page.objects.filter(pk=page_id).first()
    return make_renditions(page.specific) if page else 0
