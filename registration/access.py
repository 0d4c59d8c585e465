"""A login card opens learning only: with a card session, the pages listed here answer 403.

One mechanism for the whole list, a middleware that looks at the resolved URL, so a new trainer or staff page
under one of the prefixes is refused without anyone remembering to decorate it (tests/test_login_cards.py walks
the URL conf)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import render

SESSION_KEY = "signed_in_with"
CARD = "card"

# Pages about the account itself: deleting it, taking its data away, setting a password.
REFUSED_URL_NAMES = frozenset({
    "delete_my_account", "download_my_data", "account_change_password", "account_set_password",
    "learner_list", "learner_detail",
})
# Every trainer and staff page: the trainer's workspace and both admins.
REFUSED_PATH_PREFIXES = ("/trainer/", "/admin/", "/django-admin/")


def signed_in_with_card(request) -> bool:
    return request.user.is_authenticated and request.session.get(SESSION_KEY) == CARD


def refused_with_card(request) -> bool:
    match = request.resolver_match
    name = match.view_name if match else ""
    return name in REFUSED_URL_NAMES or request.path_info.startswith(REFUSED_PATH_PREFIXES)


class LearningOnlyWithCardMiddleware:
    """Refuses the pages above to a session opened with a login card (registration.views.card_login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The URL first: reading the session costs a query, and /healthz must answer without the database.
        if refused_with_card(request) and signed_in_with_card(request):
            return render(request, "registration/card_refused.html", status=403)
        return None


@receiver(user_logged_in, dispatch_uid="registration.forget_card_session")
def forget_card_session(sender, request, user, **kwargs):
    """Any other sign-in (a password, an SMS code) opens the whole account again; the card's view sets the mark
    after its own sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
