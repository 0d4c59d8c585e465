"""Pages of the attendance app (mounted at the site root; paths spelled out here)."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("trainer/cohorts/<int:pk>/sessions/", views.sessions, name="sessions"),
    path("trainer/cohorts/<int:pk>/attendance/", views.report, name="report"),
    path("trainer/cohorts/<int:pk>/attendance.xlsx", views.report_xlsx, name="report_xlsx"),
    path("trainer/cohorts/<int:pk>/attendance.csv", views.report_csv, name="report_csv"),
    path("trainer/sessions/<int:pk>/", views.take, name="take"),
    path("trainer/sessions/<int:pk>/qr/", views.qr, name="qr"),
    path("checkin/<str:token>/", views.check_in, name="check_in"),
]
