"""Writes about people: consents, personal-data export, account deletion, password-reset mail."""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Consent, User


def record_consents(
    *, user: User, purposes: list[str], method: str, recorded_by: User | None
) -> list[Consent]:
    """Record one consent row per purpose, with the current text version and time."""
    return record_consents_of_many(grants=[(user, purposes)], method=method, recorded_by=recorded_by)


def record_consents_of_many(
    *, grants: list[tuple[User, list[str]]], method: str, recorded_by: User | None
) -> list[Consent]:
    """record_consents for several people at once (an import), in one INSERT per thousand rows."""
    now = timezone.now()
    return Consent.objects.bulk_create(
        (
            Consent(
                user=user,
                purpose=purpose,
                method=method,
                text_version=settings.CONSENT_TEXT_VERSION,
                given_at=now,
                recorded_by=recorded_by,
            )
            for user, purposes in grants
            for purpose in purposes
        ),
        batch_size=1000,
    )


def withdraw_consent(*, user: User, purpose: str) -> int:
    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )


def has_consent(*, user: User, purpose: str) -> bool:
    return user.consents.filter(purpose=purpose, withdrawn_at=None).exists()


def export_personal_data(*, user: User) -> dict:
    """Everything the platform keeps about a person, in a form they can read and take away."""
    commune = user.commune
    return {
        "full_name": user.full_name,
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        "email": user.email,
        "year_of_birth": user.year_of_birth,
        "gender": user.gender,
        "commune": commune and {"code": commune.code, "name": commune.name,
                                "province": commune.province.name},
        "created_via": user.created_via,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login and user.last_login.isoformat(),
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "method": c.method,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at and c.withdrawn_at.isoformat(),
            }
            for c in user.consents.all()
        ],
    }


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Erase the person and everything tied to them (consents, sessions go with the row)."""
    user.delete()


def send_password_reset_email(*, email: str, base_url: str) -> int:
    """Mail a link to set a new password to every active account with this address; return how many."""
    from allauth.account.forms import default_token_generator  # the generator allauth's reset page checks
    from allauth.account.utils import filter_users_by_email, user_pk_to_url_str

    users = filter_users_by_email(email, is_active=True, prefer_verified=True)
    for user in users:
        path = reverse("account_reset_password_from_key",
                       kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
        context = {"user": user, "url": urljoin(base_url, path), "site_name": settings.WAGTAIL_SITE_NAME}
        subject = " ".join(render_to_string("accounts/email/password_reset_subject.txt", context).split())
        body = render_to_string("accounts/email/password_reset_message.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(users)
