"""Pages of the progress app (mounted at the site root; paths spelled out here)."""

from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("trainer/cohorts/<int:pk>/", views.cohort_report, name="cohort_report"),
    path("trainer/cohorts/<int:pk>/courses/<uuid:course_key>/", views.cohort_course, name="cohort_course"),
    path("trainer/cohorts/<int:pk>/learners/<int:learner_pk>/", views.cohort_learner, name="cohort_learner"),
    path("trainer/cohorts/<int:pk>/questions/", views.difficult_questions, name="difficult_questions"),
    path("trainer/cohorts/<int:pk>/report.xlsx", views.cohort_report_xlsx, name="cohort_report_xlsx"),
    path("trainer/cohorts/<int:pk>/report.csv", views.cohort_report_csv, name="cohort_report_csv"),
]
