from allauth.account import views as allauth_views
from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.form_errors_as_400(views.SignupView.as_view()), name="account_signup"),
    path("login/", views.form_errors_as_400(allauth_views.login), name="account_login"),
    path("phone/verify/", views.form_errors_as_400(allauth_views.verify_phone), name="account_verify_phone"),
    path(
        "password/change/",
        views.form_errors_as_400(allauth_views.password_change),
        name="account_change_password",
    ),
    path("password/forgot/", views.password_reset_request, name="password_reset_sms"),
    path("password/forgot/code/", views.password_reset_confirm, name="password_reset_sms_confirm"),
    path("me/", views.my_account, name="my_account"),
    path("me/data.json", views.download_my_data, name="download_my_data"),
    path("me/delete/", views.delete_my_account, name="delete_my_account"),
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
]

urlpatterns += [path("privacy/", views.privacy, name="privacy")]
