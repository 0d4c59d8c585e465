"""Every page under /accounts/: ours, and only the allauth views the product uses (nothing mounted wholesale)."""

from allauth.account import views as allauth_views
from django.urls import path, re_path

from . import views

# allauth's flows, one by one: a new allauth release cannot open a page (email management, login by code,
# reauthentication, ...) without someone adding it here. tests/test_account_urls.py holds the same list.
allauth_patterns = [
    path("signup/", views.form_errors_as_400(views.SignupView.as_view()), name="account_signup"),
    path("login/", views.form_errors_as_400(allauth_views.login), name="account_login"),
    path("logout/", allauth_views.logout, name="account_logout"),
    # Where allauth sends a deactivated person who typed the right password.
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("phone/verify/", views.form_errors_as_400(views.verify_phone), name="account_verify_phone"),
    path(
        "password/change/",
        views.form_errors_as_400(allauth_views.password_change),
        name="account_change_password",
    ),
    # password/change/ sends someone without a usable password here.
    path("password/set/", views.form_errors_as_400(allauth_views.password_set), name="account_set_password"),
    # Staff who log in by email reset by email (accounts.login_forms.EmailPasswordResetForm never says
    # whether an address has an account); residents reset by SMS below.
    path("password/reset/", views.form_errors_as_400(allauth_views.password_reset), name="account_reset_password"),
    path("password/reset/done/", allauth_views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.form_errors_as_400(allauth_views.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
]

urlpatterns = allauth_patterns + [
    path("password/forgot/", views.password_reset_request, name="password_reset_sms"),
    path("password/forgot/code/", views.password_reset_confirm, name="password_reset_sms_confirm"),
    path("me/", views.my_account, name="my_account"),
    path("me/data.json", views.download_my_data, name="download_my_data"),
    path("me/delete/", views.delete_my_account, name="delete_my_account"),
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
    path("privacy/", views.privacy, name="privacy"),
]
