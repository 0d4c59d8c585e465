"""Pages of the progress app (mounted at the site root; paths spelled out here)."""

from django.urls import path  # noqa: F401

app_name = "progress"

urlpatterns = []
