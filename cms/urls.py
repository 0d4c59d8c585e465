"""URL map: site chrome, accounts, places, admin, then Wagtail's page tree last."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from courses import urls as courses_urls
from places import urls as places_urls

from . import views

# allauth's rate limits answer through this, like ours (cms/ratelimits.py).
handler429 = "cms.ratelimits.handler429"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("places/", include(places_urls)),
    path("accounts/", include(accounts_urls)),
    path("api/v1/", include("quizzes.api_urls")),
    path("certificates/", include("certificates.urls")),
    # The trainer's workspace (/trainer/…) and the member's side of classes, one app per concern.
    path("", include("cohorts.urls")),
    path("", include("progress.urls")),
    path("", include("attendance.urls")),
    path("", include("registration.urls")),
    path("", include("imports.urls")),
]

if settings.DEBUG:
    # Development only: serve uploads. Private files live outside MEDIA_ROOT and the view decides on the
    # resolved path, so no spelling of a URL reaches them (they go through permission-checked views).
    urlpatterns += [path("media/<path:path>", views.media, name="media")]

urlpatterns += i18n_patterns(
    path("", include(courses_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Uncaught errors: a database outage answers 503 (cms/outage.py), anything else the plain 500 page.
handler500 = "cms.outage.server_error"
