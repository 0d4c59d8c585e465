"""The catalogue's address for the site menu, in the visitor's language (cached: it rarely moves)."""

from django.core.cache import cache
from django.utils import translation


def catalogue_url(request):
    language = translation.get_language() or "vi"
    key = f"courses:catalogue-url:{language}"
    url = cache.get(key)
    if url is None:
        from .models import CourseIndexPage

        pages = CourseIndexPage.objects.live().select_related("locale")
        page = next((p for p in pages if p.locale.language_code == language), None) or pages.first()
        url = page.get_url(request) if page else ""
        cache.set(key, url, 300)
    return {"catalogue_url": url}
