"""Thin views: a learner's certificates and downloads, consent to certification, public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Consent
from accounts.scoping import visible
from accounts.services import has_consent, record_consents
from cms import ratelimits

from . import selectors, services
from .models import Certificate

# Enough for a trainer checking a class's papers by hand; far too few to guess codes.


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


@never_cache
@require_GET
def verify(request, code: str):
    try:
        ratelimits.consume(request, action="verify_certificate")
    except ratelimits.TooManyRequests as limited:
        message = _("Too many certificates were checked from this connection in the last minute.")
        return ratelimits.too_many_requests(request, message=message, retry_after=limited.retry_after)
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    context = {
        "certificate": certificate,
        "masked_name": selectors.mask_name(certificate.full_name),
        "masked_year": selectors.mask_year(certificate.year_of_birth),
    }
    return render(request, "certificates/verify.html", context)
