"""Pages about accounts: sign-up, password reset by SMS, my data, and learner lists in scope."""

import json
import time
from functools import wraps

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.ratelimits import too_many_requests, wait_seconds
from places.models import Commune
from progress.selectors import learner_progress

from . import selectors, services
from .forms import DeleteAccountForm, PasswordResetCodeForm, PasswordResetRequestForm
from .models import User
from .phone import format_phone
from .scoping import visible, visible_communes

RESET_SESSION_KEY = "password_reset_sms"
RESET_CODE_TIMEOUT = 15 * 60
RESET_MAX_ATTEMPTS = 5


def form_errors_as_400(view):
    """A form sent back with errors answers 400, so clients and tests see bad input as a 4xx."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        has_errors = any(isinstance(v, BaseForm) and v.is_bound and v.errors for v in context.values())
        if request.method == "POST" and response.status_code == 200 and has_errors:
            response.status_code = 400
        return response

    return wrapped


class SignupView(allauth_views.SignupView):
    """allauth's sign-up, plus the no-JavaScript "choose province first" step."""

    def post(self, request, *args, **kwargs):
        if "choose_province" in request.POST:
            initial = {
                key: value
                for key, value in request.POST.items()
                if not key.startswith("password") and key != "csrfmiddlewaretoken"
            }
            kwargs_ = self.get_form_kwargs()
            kwargs_.pop("data", None)
            kwargs_.pop("files", None)
            kwargs_["initial"] = initial
            form = self.get_form_class()(**kwargs_)
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)


def verify_phone(request, *args, **kwargs):
    """allauth's code page during sign-up and log-in. Someone already logged in has no code to enter (changing
    one's number is not a flow of the product), so they go to their account instead of allauth's phone-change."""
    if request.user.is_authenticated:
        return redirect("my_account")
    return allauth_views.verify_phone(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if not ratelimit.consume(request, action="reset_password_by_sms", key=phone):
            retry_after = wait_seconds(request, action="reset_password_by_sms", key=phone)
            return too_many_requests(request, message=_("Too many codes were asked for."), retry_after=retry_after)
        user = User.objects.filter(phone=phone, is_active=True).first()
        code = get_adapter(request).generate_phone_verification_code(user=user, phone=phone)
        request.session[RESET_SESSION_KEY] = {
            "user_id": user.pk if user else None,
            "phone": phone,
            "code": code,
            "expires": time.time() + RESET_CODE_TIMEOUT,
            "attempts": 0,
        }
        if user:
            get_adapter(request).send_verification_code_sms(user=user, phone=phone, code=code)
        # The next page looks the same whether or not the number has an account.
        return redirect("password_reset_sms_confirm")
    return render(request, "account/password_reset_sms.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request):
    state = request.session.get(RESET_SESSION_KEY)
    if not state or state["expires"] < time.time():
        request.session.pop(RESET_SESSION_KEY, None)
        messages.error(request, _("The code has expired. Please ask for a new one."))
        return redirect("password_reset_sms")
    user = User.objects.filter(pk=state["user_id"]).first() if state["user_id"] else None
    form = PasswordResetCodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        state["attempts"] += 1
        request.session[RESET_SESSION_KEY] = state
        right = user is not None and constant_time_compare(form.cleaned_data["code"], state["code"])
        if right:
            user.set_password(form.cleaned_data["password1"])
            # Receiving the code proves the person holds the number.
            user.phone_verified = True
            user.save(update_fields=["password", "phone_verified"])
            # Like allauth's email reset: the new password works at once, even after a lock-out.
            get_adapter(request)._delete_login_attempts_cached_email(request, phone=user.phone)
            request.session.pop(RESET_SESSION_KEY, None)
            messages.success(request, _("Your password has been changed. Please log in."))
            return redirect("account_login")
        if state["attempts"] >= RESET_MAX_ATTEMPTS:
            request.session.pop(RESET_SESSION_KEY, None)
            messages.error(request, _("Too many wrong codes. Please ask for a new one."))
            return redirect("password_reset_sms")
        form.add_error("code", _("The code is not correct. Check the SMS and try again."))
    status = 400 if form.errors else 200
    context = {"form": form, "phone": format_phone(state["phone"])}
    return render(request, "account/password_reset_sms_confirm.html", context, status=status)


@login_required
def my_account(request):
    user = request.user
    context = {
        "phone": user.phone and format_phone(user.phone),
        "consents": user.consents.all(),
        "commune": user.commune and Commune.objects.select_related("province").get(pk=user.commune_id),
    }
    return render(request, "accounts/my_account.html", context)


@login_required
def download_my_data(request):
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_my_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, _("Your account and all your data have been deleted."))
        return redirect("/")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete_account.html", {"form": form}, status=status)


@login_required
def learner_list(request):
    if not selectors.can_see_learners_of_others(request.user):
        raise PermissionDenied(_("Only trainers and provincial staff can see lists of learners."))
    communes = visible_communes(request.user).select_related("province")
    commune_code = request.GET.get("commune") or None
    if commune_code and not communes.filter(pk=commune_code).exists():
        raise PermissionDenied(_("This commune is outside your area."))
    learners = selectors.learner_list(viewer=request.user, commune_code=commune_code)
    context = {"learners": learners[:500], "communes": communes[:200], "commune_code": commune_code}
    return render(request, "accounts/learner_list.html", context)


@login_required
def learner_detail(request, pk: int):
    # Outside the viewer's scope a learner simply does not exist for them (404, not 403).
    learner = get_object_or_404(
        visible(User, request.user).select_related("commune__province"), pk=pk
    )
    context = {"learner": learner, "phone": learner.phone and format_phone(learner.phone),
               "progress": learner_progress(learner=learner)}
    return render(request, "accounts/learner_detail.html", context)


def privacy(request):
    return render(request, "privacy.html", {"version": settings.CONSENT_TEXT_VERSION})
