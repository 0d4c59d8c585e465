"""Writes about certificates: issue once per learner and course, render, revoke, re-render a course."""

import logging
import secrets
import time
import unicodedata

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.scoping import visible
from accounts.services import has_consent
from places.text import clean_text

from . import pdf
from .models import Certificate, CertificateSequence, CertificateSettings, RenderJob

logger = logging.getLogger(__name__)

# Unambiguous on a phone screen and when read aloud: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
# Province code names whose initials would be ambiguous or unusual; the rest use initials.
PREFIX_OVERRIDES = {"hue": "HUE", "ho_chi_minh": "HCM", "can_tho": "CT", "ha_tinh": "HT"}
NO_PROVINCE_PREFIX = "VN"


def province_prefix(province) -> str:
    """`quang_ninh` → `QN`, `ha_noi` → `HN`; learners without a commune get `VN`."""
    if province is None:
        return NO_PROVINCE_PREFIX
    codename = province.codename.removeprefix("thanh_pho_").removeprefix("tinh_")
    if codename in PREFIX_OVERRIDES:
        return PREFIX_OVERRIDES[codename]
    return "".join(part[0] for part in codename.split("_") if part).upper()[:6] or NO_PROVINCE_PREFIX


def next_serial(*, prefix: str, year: int) -> str:
    """Take the next number of (prefix, year). The UPDATE locks the row until the transaction ends."""
    try:
        with transaction.atomic():
            CertificateSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # another transaction created it first
        pass
    CertificateSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
    number = CertificateSequence.objects.select_for_update().values_list("last", flat=True).get(
        prefix=prefix, year=year)
    return f"{prefix}-{year}-{number:06d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_url(code: str) -> str:
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("certificate_verify", args=[code])


def issuer_settings() -> CertificateSettings:
    """The default site's certificate settings (workers have no request); defaults when there is no site."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return CertificateSettings.for_site(site) if site else CertificateSettings()


def issue_certificate(*, learner, course, completed_at=None) -> tuple[Certificate | None, bool]:
    """Issue the learner's one certificate for the course, if they consented to certification.

    Returns (certificate, created); (None, False) without consent. Rendering is queued after commit.
    """
    existing = Certificate.objects.filter(learner=learner, course_key=course.translation_key).first()
    if existing:
        return existing, False
    if not has_consent(user=learner, purpose="certification"):
        return None, False
    commune = learner.commune
    province = commune.province if commune else None
    now = timezone.now()
    issuer = issuer_settings()
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin's insert must not spoil the caller's transaction
            certificate = Certificate.objects.create(
                serial=next_serial(prefix=province_prefix(province), year=timezone.localdate(now).year),
                code=new_code(),
                learner=learner,
                course_key=course.translation_key,
                course_title=unicodedata.normalize("NFC", course.title),
                full_name=clean_text(learner.full_name),  # what the user row holds, invisible characters dropped
                year_of_birth=learner.year_of_birth,
                commune_name=commune.name if commune else "",
                province_name=province.name if province else "",
                issuer_name=issuer.issuer_name,
                signer_name=issuer.signer_name,
                signer_title=issuer.signer_title,
                completed_at=completed_at or now,
                render_requested_at=now,
            )
    except IntegrityError:
        return Certificate.objects.get(learner=learner, course_key=course.translation_key), False
    queue_render(certificate)
    return certificate, True


def issue_missing_certificates(*, learner) -> list[Certificate]:
    """After consent is given: certificates for courses the learner had already finished."""
    from courses.models import CoursePage, Enrollment

    issued = []
    for enrollment in Enrollment.objects.filter(learner=learner, completed_at__isnull=False):
        course = CoursePage.objects.filter(translation_key=enrollment.course_key).first()
        if course is not None:
            certificate, created = issue_certificate(learner=learner, course=course,
                                                     completed_at=enrollment.completed_at)
            if created:
                issued.append(certificate)
    return issued


def queue_render(certificate: Certificate) -> None:
    """Ask a worker to (re-)render the PDF once the current transaction has committed."""
    from .tasks import render_certificate

    pk = certificate.pk
    transaction.on_commit(lambda: render_certificate.delay(pk))


def request_rerender(*, certificate: Certificate) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(render_requested_at=timezone.now())
    queue_render(certificate)


def certificate_data(certificate: Certificate, *, issuer: CertificateSettings | None = None) -> pdf.CertificateData:
    issuer = issuer if issuer is not None else issuer_settings()
    return pdf.CertificateData(
        serial=certificate.serial,
        full_name=certificate.full_name,
        course_title=certificate.course_title,
        completed_on=timezone.localdate(certificate.completed_at),
        verify_url=verification_url(certificate.code),
        year_of_birth=certificate.year_of_birth,
        commune_name=certificate.commune_name,
        province_name=certificate.province_name,
        issuer_name=certificate.issuer_name,
        signer_name=certificate.signer_name,
        signer_title=certificate.signer_title,
        place_name=issuer.place_name,
        logo_url=_image_url(issuer.logo),
        signature_url=_image_url(issuer.signature),
    )


def _image_url(image) -> str:
    """A file:// URL (or absolute URL on remote storage) of a small rendition; SVG stays SVG."""
    if image is None:
        return ""
    try:
        if getattr(image, "is_svg", lambda: False)():
            rendition = image.get_rendition("original")
        else:
            rendition = image.get_rendition("max-600x300|format-jpeg|jpegquality-80")
        try:
            return rendition.file.path and f"file://{rendition.file.path}"
        except NotImplementedError:
            return rendition.full_url
    except Exception:  # noqa: BLE001 - a broken image must not stop the certificate
        logger.exception("certificate image %s could not be prepared", image.pk)
        return ""


def render_pdf(*, certificate_id: int) -> Certificate:
    """Render and store the PDF under its deterministic name; safe to repeat (the file is overwritten)."""
    certificate = Certificate.objects.get(pk=certificate_id)
    content = pdf.render(certificate_data(certificate))
    with transaction.atomic():
        # Lock the row so two workers rendering the same certificate write the file one after the other.
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        name = certificate.pdf_name()
        storage = certificate.pdf.storage
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # a storage that renames instead of overwriting: keep only the deterministic name
            storage.delete(name)
            storage.save(name, ContentFile(content))
            storage.delete(saved)
        certificate.pdf.name = name
        certificate.pdf_rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "pdf_rendered_at"])
    return certificate


def revoke(*, certificate: Certificate, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to revoke a certificate.")
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    return certificate


def course_certificates_in_scope(job: RenderJob):
    """The job's course's certificates that its requester may see now (none once the requester is gone)."""
    return visible(Certificate.objects.filter(course_key=job.course_key), job.requested_by)


def start_course_rerender(*, course_key, course_title: str, requested_by) -> RenderJob:
    """Re-render the course's certificates in the requester's area only; the job keeps who asked."""
    from .tasks import render_course_job

    job = RenderJob(course_key=course_key, course_title=course_title, requested_by=requested_by)
    job.total = course_certificates_in_scope(job).count()
    job.save()
    transaction.on_commit(lambda: render_course_job.delay(job.pk))
    return job


def run_render_job(*, job_id: int, after: int = 0) -> RenderJob:
    """Re-render the job's certificates in its requester's area (those after certificate `after`), counting progress.

    One task renders for at most CERTIFICATES_RENDER_SLICE_SECONDS, well under the broker's visibility timeout
    (a longer task would be handed to a second worker meanwhile), then queues the rest. Safe to repeat: a slice
    handed out again after its worker died skips what this job rendered already, and the counts are taken from
    the certificates themselves at each slice's start and end, so nothing is counted twice.
    """
    from .tasks import render_course_job

    RenderJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=timezone.now())
    job = RenderJob.objects.get(pk=job_id)
    certificates = course_certificates_in_scope(job)
    not_yet = Q(pdf_rendered_at__isnull=True) | Q(pdf_rendered_at__lt=job.started_at)

    def recount(*, up_to: int | None, **changes) -> None:
        seen = certificates if up_to is None else certificates.filter(pk__lte=up_to)
        RenderJob.objects.filter(pk=job_id).update(
            total=certificates.count(), done=seen.filter(pdf_rendered_at__gte=job.started_at).count(),
            failed=seen.filter(not_yet).count(), **changes)

    recount(up_to=after)
    ids = list(certificates.filter(not_yet, pk__gt=after).order_by("pk").values_list("pk", flat=True))
    stop_at = time.monotonic() + settings.CERTIFICATES_RENDER_SLICE_SECONDS
    last = after
    for certificate_id in ids:
        if last != after and time.monotonic() > stop_at:
            break
        last = certificate_id
        try:
            render_pdf(certificate_id=certificate_id)
        except Certificate.DoesNotExist:  # deleted with its learner meanwhile
            continue
        except Exception:
            logger.exception("re-rendering certificate %s failed", certificate_id)
            RenderJob.objects.filter(pk=job_id).update(failed=F("failed") + 1)
            continue
        RenderJob.objects.filter(pk=job_id).update(done=F("done") + 1)
    if ids and last != ids[-1]:
        recount(up_to=last)
        transaction.on_commit(lambda: render_course_job.delay(job_id, last))
    else:
        recount(up_to=None, finished_at=timezone.now())
    job.refresh_from_db()
    return job
