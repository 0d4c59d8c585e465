from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="account_signup"),
    path("password/forgot/", views.password_reset_request, name="password_reset_sms"),
    path("password/forgot/code/", views.password_reset_confirm, name="password_reset_sms_confirm"),
    path("me/", views.my_account, name="my_account"),
    path("me/data.json", views.download_my_data, name="download_my_data"),
    path("me/delete/", views.delete_my_account, name="delete_my_account"),
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
]

urlpatterns += [path("privacy/", views.privacy, name="privacy")]
