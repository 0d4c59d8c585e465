"""Pages of the cohorts app (mounted at the site root; paths spelled out here)."""

from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("trainer/", views.home, name="home"),
    path("trainer/cohorts/new/", views.create, name="create"),
    path("trainer/cohorts/<int:pk>/edit/", views.edit, name="edit"),
    path("trainer/cohorts/<int:pk>/members/", views.members, name="members"),
    path("trainer/cohorts/<int:pk>/members/add/", views.add_member, name="add_member"),
    path("trainer/cohorts/<int:pk>/members/<int:learner_pk>/remove/", views.remove_member, name="remove_member"),
    path("trainer/cohorts/<int:pk>/archive/", views.archive, name="archive"),
    path("trainer/cohorts/<int:pk>/messages/", views.cohort_messages, name="messages"),
    path("classes/", views.mine, name="mine"),
]
