from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_certificates, name="my_certificates"),
    path("consent/", views.give_consent, name="certificate_consent"),
    path("<int:pk>/download/", views.download, name="certificate_download"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
]
