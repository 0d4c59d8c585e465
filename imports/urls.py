"""Pages of the imports app (mounted at the site root; paths spelled out here)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("trainer/imports/template.xlsx", views.template, name="template"),
    path("trainer/imports/new/", views.upload, name="upload"),
    path("trainer/imports/<int:pk>/", views.detail, name="detail"),
    path("trainer/imports/<int:pk>/confirm/", views.confirm, name="confirm"),
]
