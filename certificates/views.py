"""Thin views: a learner's certificates and downloads, consent to certification, public verification."""

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Consent
from accounts.scoping import visible
from accounts.services import has_consent, record_consents
from cms.ratelimits import too_many_requests

from . import selectors, services
from .models import Certificate

# Enough for a trainer checking a class's papers by hand; far too few to guess codes.
VERIFY_LIMIT_PER_MINUTE = getattr(settings, "CERTIFICATES_VERIFY_LIMIT_PER_MINUTE", 30)


@never_cache
@login_required
def my_certificates(request):
    certificates = list(selectors.my_certificates(learner=request.user))
    context = {
        "certificates": certificates,
        "pending": selectors.pending_pdf(certificates),
        "consented": has_consent(user=request.user, purpose=Consent.Purpose.CERTIFICATION),
    }
    return render(request, "certificates/my_certificates.html", context)


@login_required
@require_POST
def give_consent(request):
    if not request.POST.get("agree"):
        messages.error(request, _("Tick the box to agree, then press the button."))
        return redirect("my_certificates")
    if not has_consent(user=request.user, purpose=Consent.Purpose.CERTIFICATION):
        record_consents(user=request.user, purposes=[Consent.Purpose.CERTIFICATION],
                        method=Consent.Method.ONLINE, recorded_by=request.user)
    issued = services.issue_missing_certificates(learner=request.user)
    if issued:
        messages.success(request, _("Thank you. Your certificates are being prepared."))
    else:
        messages.success(request, _("Thank you. You will receive a certificate for each course you finish."))
    return redirect("my_certificates")


@never_cache
@require_GET
def download(request, pk: int):
    # The learner, or a trainer or staff member whose area includes the learner; anyone else gets the same
    # answer as for a certificate that does not exist.
    certificate = get_object_or_404(visible(Certificate, request.user), pk=pk)
    if not certificate.pdf_ready:
        raise Http404
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, filename=f"{certificate.serial}.pdf",
                            content_type="application/pdf")
    response["X-Robots-Tag"] = "noindex"
    return response


def _client_ip(request) -> str:
    """The same client address as allauth's rate limits (which honour ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return request.META.get("REMOTE_ADDR", "")


def _over_limit(request) -> bool:
    minute = int(time.time() // 60)
    key = f"certificates:verify:{_client_ip(request)}:{minute}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        count = 1
    return count > VERIFY_LIMIT_PER_MINUTE


@never_cache
@require_GET
def verify(request, code: str):
    if _over_limit(request):
        return too_many_requests(
            request, message=_("Too many certificates were checked from this connection in the last minute.")
        )
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    context = {
        "certificate": certificate,
        "masked_name": selectors.mask_name(certificate.full_name),
        "masked_year": selectors.mask_year(certificate.year_of_birth),
    }
    return render(request, "certificates/verify.html", context)
