"""Pages of the registration app (mounted at the site root; paths spelled out here)."""

from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("trainer/register/", views.register, name="register"),
    path("trainer/register/add/", views.add_existing, name="add_existing"),
    path("trainer/register/<int:pk>/done/", views.registered, name="registered"),
    path("trainer/learners/<int:pk>/card/", views.card, name="card"),
    path("trainer/cohorts/<int:pk>/cards/", views.cohort_cards, name="cohort_cards"),
    path("card/", views.card_login, name="card_login"),
]
