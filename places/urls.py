from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path(
        "provinces/<str:province_code>/communes/",
        views.province_communes,
        name="province_communes",
    ),
    path("communes/search/", views.commune_search, name="commune_search"),
]
