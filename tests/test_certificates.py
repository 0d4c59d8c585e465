"""Certificates: issued once on completion with consent, PDF text and QR, downloads by scope, verification."""

import io
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest
import segno
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.services import record_consents
from certificates import pdf, selectors, services
from certificates.models import Certificate, CertificateSequence, RenderJob
from certificates.tasks import sweep_missing_pdfs
from courses import services as course_services
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


def consent(user):
    record_consents(user=user, purposes=["certification"], method="online", recorded_by=None)


def finish(learner, course, capture):
    """Complete every lesson of the course, running on-commit callbacks (the eager render)."""
    with capture(execute=True):
        for lesson in lessons_of(course):
            course_services.complete_lesson(learner=learner, lesson=lesson)
    return Certificate.objects.filter(learner=learner, course_key=course.translation_key).first()


def pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def course(db):
    return make_course("Phòng tránh lừa đảo trực tuyến", lessons=2)


@pytest.fixture
def issued(people, course, django_capture_on_commit_callbacks):
    consent(people["lan"])
    return finish(people["lan"], course, django_capture_on_commit_callbacks)


def test_completion_issues_one_certificate_with_frozen_facts_and_a_pdf(issued, people, course):
    year = timezone.localdate().year
    assert issued.serial == f"QN-{year}-000001"
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", issued.code)
    assert (issued.full_name, issued.year_of_birth) == ("Nguyễn Thị Lan", 1962)
    assert (issued.commune_name, issued.province_name) == ("Phường Hạ Long", "Quảng Ninh")
    assert issued.course_title == course.title
    assert issued.issuer_name == "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"
    assert issued.pdf.name == f"{year}/{issued.serial}.pdf"
    assert issued.pdf_rendered_at is not None
    text = pdf_text(issued)
    for expected in ("Nguyễn Thị Lan", course.title, issued.serial, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập – Tự do – Hạnh phúc", "GIẤY CHỨNG NHẬN", "Phường Hạ Long", "1962"):
        assert expected in text
    assert PdfReader(issued.pdf.path).pages[0].mediabox.width > PdfReader(issued.pdf.path).pages[0].mediabox.height


def test_serials_count_per_province_and_year(issued, people, course, django_capture_on_commit_callbacks):
    consent(people["hoa"])
    consent(people["mai"])
    hoa = finish(people["hoa"], course, django_capture_on_commit_callbacks)
    mai = finish(people["mai"], course, django_capture_on_commit_callbacks)
    year = timezone.localdate().year
    assert hoa.serial == f"HN-{year}-000001"
    assert mai.serial == f"QN-{year}-000002"


def test_name_typed_in_nfd_is_stored_and_printed_in_nfc(places, course, django_capture_on_commit_callbacks):
    typed = unicodedata.normalize("NFD", "Trần Thị Ánh Tuyết")
    learner = make_user(full_name=typed, commune=places["ha_long"], year_of_birth=1958)
    consent(learner)
    certificate = finish(learner, course, django_capture_on_commit_callbacks)
    expected = unicodedata.normalize("NFC", typed)
    assert certificate.full_name == expected != typed
    text = pdf_text(certificate)
    assert expected in text
    assert unicodedata.is_normalized("NFC", text)


def test_very_long_name_and_title_shrink_and_still_print_exactly(places, django_capture_on_commit_callbacks):
    long_title = "Sử dụng dịch vụ công trực tuyến, ví điện tử và ứng dụng VNeID một cách an toàn cho người cao tuổi"
    course = make_course(long_title, lessons=1)
    name = "Tôn Nữ Thị Hoàng Phương Thảo Nguyên Bảo Ngọc Minh Châu"
    learner = make_user(full_name=name, commune=places["ha_long"])
    consent(learner)
    certificate = finish(learner, course, django_capture_on_commit_callbacks)
    text = pdf_text(certificate).replace("\n", " ")
    assert name in text
    assert long_title in text
    short = pdf.font_size_for("Lan", box_pt=700, lines=1, largest=30, smallest=14)
    longer = pdf.font_size_for(name * 2, box_pt=700, lines=1, largest=30, smallest=14)
    assert short == 30 and 14 <= longer < 30


def _decode_qr_png(png: bytes) -> list[str]:
    from PIL import Image
    from pyzbar.pyzbar import decode

    return [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png)))]


def test_qr_code_decodes_to_the_verification_url(issued, tmp_path):
    url = services.verification_url(issued.code)
    assert url.startswith("http") and url.endswith(f"/certificates/verify/{issued.code}/")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", issued.pdf.path, str(tmp_path / "page")],
                       check=True, capture_output=True)
        assert _decode_qr_png((tmp_path / "page.png").read_bytes()) == [url]
    # The same QR, drawn by segno as PNG, decodes too; it is vector in the PDF, and inline SVG in the
    # certificate as one HTML document.
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8)
    assert _decode_qr_png(buffer.getvalue()) == [url]
    assert not any(str(xobject.get("/Subtype")) == "/Image" and xobject.get("/Width") == 33
                   for xobject in _xobjects(PdfReader(issued.pdf.path).pages[0]))
    html = pdf.build_html(services.certificate_data(issued))
    assert pdf.qr_svg(url) in html


def _xobjects(container):
    """Every XObject drawn on a page, including those inside form XObjects (the certificate's backdrop)."""
    resources = container.get("/Resources") or {}
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        yield xobject
        if str(xobject.get("/Subtype")) == "/Form":
            yield from _xobjects(xobject)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (Debian poppler-utils)")
def test_the_certificate_looks_the_same_as_one_html_document(issued, tmp_path):
    """The layered PDF (backdrop laid out once, QR code from segno) prints what the plain way prints."""
    from PIL import Image, ImageChops

    data = services.certificate_data(issued)
    (tmp_path / "layered.pdf").write_bytes(pdf.render(data))
    (tmp_path / "whole.pdf").write_bytes(pdf.html_to_pdf_naive(pdf.build_html(data)))
    pages = []
    for name in ("layered", "whole"):
        subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True, capture_output=True)
        pages.append(Image.open(tmp_path / f"{name}.png").convert("L"))
    # Only anti-aliasing may differ (the QR code's edges: about 100 pixels); a line of text or the QR code
    # out of place makes thousands.
    difference = ImageChops.difference(*pages).point(lambda value: 255 if value > 96 else 0)
    assert difference.histogram()[255] < 300
    layered, whole = (PdfReader(tmp_path / f"{name}.pdf").pages[0].extract_text() for name in ("layered", "whole"))
    assert sorted(layered.split()) == sorted(whole.split())


def test_no_consent_no_certificate_and_the_page_explains(client, people, course, django_capture_on_commit_callbacks):
    lan = people["lan"]
    assert finish(lan, course, django_capture_on_commit_callbacks) is None
    client.force_login(lan)
    page = client.get(reverse("my_certificates"))
    assert page.status_code == 200
    assert reverse("certificate_consent") in page.content.decode()
    # Giving consent afterwards issues the certificates of courses already finished.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificate_consent"), {"agree": "1"})
    assert response.status_code == 302
    certificate = Certificate.objects.get(learner=lan)
    assert certificate.pdf_rendered_at is not None
    page = client.get(reverse("my_certificates")).content.decode()
    assert reverse("certificate_download", args=[certificate.pk]) in page
    assert reverse("certificate_consent") not in page


def test_completing_twice_or_issuing_twice_gives_one_certificate(issued, people, course):
    lan = people["lan"]
    enrollment = lan.enrollments.get()
    enrollment.completed_at = None
    enrollment.save()
    assert course_services.update_course_completion(learner=lan, course=course) is True
    again, created = services.issue_certificate(learner=lan, course=course)
    assert (again.pk, created) == (issued.pk, False)
    assert Certificate.objects.filter(learner=lan).count() == 1
    assert CertificateSequence.objects.get().last == 1


def test_render_again_overwrites_the_same_file(issued):
    first_rendered = issued.pdf_rendered_at
    services.render_pdf(certificate_id=issued.pk)
    services.render_pdf(certificate_id=issued.pk)
    issued.refresh_from_db()
    assert issued.pdf_rendered_at > first_rendered
    folder = issued.pdf.storage.path(issued.pdf.name).rsplit("/", 1)[0]
    assert [name for name in shutil.os.listdir(folder) if name.startswith(issued.serial)] == [f"{issued.serial}.pdf"]
    assert Certificate.objects.count() == 1


def test_my_certificates_page_refreshes_while_the_pdf_is_prepared(client, people, course):
    consent(people["lan"])
    for lesson in lessons_of(course):  # no on-commit callbacks: the render is still "queued"
        course_services.complete_lesson(learner=people["lan"], lesson=lesson)
    client.force_login(people["lan"])
    page = client.get(reverse("my_certificates")).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    certificate = Certificate.objects.get()
    assert reverse("certificate_download", args=[certificate.pk]) not in page
    assert client.get(reverse("certificate_download", args=[certificate.pk])).status_code == 404


def test_sweeper_requeues_pdfs_that_went_missing(people, course):
    consent(people["lan"])
    for lesson in lessons_of(course):
        course_services.complete_lesson(learner=people["lan"], lesson=lesson)
    certificate = Certificate.objects.get()
    assert sweep_missing_pdfs() == 0  # requested just now: give the worker time
    Certificate.objects.update(render_requested_at=timezone.now() - timezone.timedelta(minutes=30))
    assert sweep_missing_pdfs() == 1  # eager in tests: rendered at once
    certificate.refresh_from_db()
    assert certificate.pdf_ready


def test_download_allowed_for_learner_and_in_scope_trainer_and_staff(client, issued, people):
    url = reverse("certificate_download", args=[issued.pk])
    for who in ("lan", "trainer", "staff"):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_refused_to_others(client, issued, people, places):
    url = reverse("certificate_download", args=[issued.pk])
    assert client.get(url).status_code == 404  # anonymous
    other_trainer = make_user(username="trainer2", full_name="Lê Văn Tâm", phone="+84912000009")
    other_trainer.trainer_communes.add(places["hoan_kiem"])
    hanoi_staff = make_user(username="staff2", full_name="Hà Nội Staff", staff_province=places["ha_noi"])
    for user in (people["mai"], people["hoa"], other_trainer, hanoi_staff):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    with pytest.raises(ValueError):  # the file has no public URL
        issued.pdf.url  # noqa: B018


def test_verification_page_masks_the_name_and_shows_revocation(client, issued):
    url = reverse("certificate_verify", args=[issued.code])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-status="valid"' in body
    assert "Nguyễn T** L**" in body and "Nguyễn Thị Lan" not in body
    assert "1962" not in body and "19**" in body
    assert issued.course_title in body and issued.serial in body and issued.issuer_name in body
    services.revoke(certificate=issued, reason="Cấp nhầm người")
    body = client.get(url).content.decode()
    assert 'data-status="revoked"' in body and "Cấp nhầm người" in body
    assert client.get(reverse("certificate_verify", args=[issued.code.lower()])).status_code == 200


def test_unknown_code_is_a_404_page_that_says_so(client, db):
    response = client.get(reverse("certificate_verify", args=["ABCDEFGH23"]))
    assert response.status_code == 404
    assert 'data-status="unknown"' in response.content.decode()


def test_verification_is_rate_limited_per_ip(client, db):
    url = reverse("certificate_verify", args=["ABCDEFGH23"])
    statuses = [client.get(url).status_code for _ in range(30)]
    assert set(statuses) == {404}
    response = client.get(url)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 404  # another connection is not blocked


def test_mask_name():
    assert selectors.mask_name("Nguyễn Văn An") == "Nguyễn V** A*"
    assert selectors.mask_name("Lan") == "Lan"
    assert selectors.mask_year(1962) == "19**"


def test_deleting_the_account_deletes_the_certificates(issued, people):
    from accounts.services import delete_account

    delete_account(user=people["lan"])
    assert not Certificate.objects.exists()


@pytest.fixture
def admin_user(db):
    return make_user(username="admin", full_name="Quản Trị", is_staff=True, is_superuser=True)


def test_staff_revoke_and_rerender_in_the_admin(client, issued, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    index = client.get(reverse("certificates_admin:index"), {"status": "valid", "q": "Lan"})
    assert index.status_code == 200 and issued.serial in index.content.decode()
    detail = reverse("certificates_admin:detail", args=[issued.pk])
    assert client.get(detail).status_code == 200
    before = issued.pdf_rendered_at
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {"action": "rerender"}).status_code == 302
    issued.refresh_from_db()
    assert issued.pdf_rendered_at > before
    assert client.post(detail, {"action": "revoke", "reason": ""}).status_code == 302
    issued.refresh_from_db()
    assert issued.revoked_at is None  # a reason is required
    client.post(detail, {"action": "revoke", "reason": "Gian lận khi học"})
    issued.refresh_from_db()
    assert issued.revoked_at is not None and issued.revoke_reason == "Gian lận khi học"


def test_staff_rerender_a_whole_course_and_watch_the_job(client, issued, people, course, admin_user,
                                                         django_capture_on_commit_callbacks):
    consent(people["mai"])
    finish(people["mai"], course, django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin:rerender_course"), {"course": str(course.translation_key)})
    job = RenderJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("certificates_admin:job", args=[job.pk])
    assert (job.total, job.done, job.failed) == (2, 2, 0) and job.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    RenderJob.objects.filter(pk=job.pk).update(finished_at=None, done=1)
    assert 'http-equiv="refresh"' in client.get(response["Location"]).content.decode()


def certificate_staff(**fields):
    user = make_user(is_staff=True, **fields)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"),
                              Permission.objects.get(codename="change_certificate"))
    return user


def test_rerendering_a_course_touches_only_the_requesters_area(client, issued, people, places, course, admin_user,
                                                               django_capture_on_commit_callbacks):
    consent(people["hoa"])
    hoa = finish(people["hoa"], course, django_capture_on_commit_callbacks)
    hanoi = certificate_staff(username="staff_hn", full_name="Sở Hà Nội", staff_province=places["ha_noi"])
    before = {c.pk: c.pdf_rendered_at for c in Certificate.objects.all()}
    client.force_login(hanoi)
    detail = reverse("certificates_admin:detail", args=[hoa.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"action": "rerender_course"})
    job = RenderJob.objects.get()
    assert response["Location"] == reverse("certificates_admin:job", args=[job.pk])
    assert (job.total, job.done, job.failed) == (1, 1, 0)
    after = {c.pk: c.pdf_rendered_at for c in Certificate.objects.all()}
    assert after[hoa.pk] > before[hoa.pk]
    assert after[issued.pk] == before[issued.pk]  # Lan lives in Quảng Ninh: not Hà Nội's to touch
    # The same through the course form; a retried job still keeps to its requester's area.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates_admin:rerender_course"), {"course": str(course.translation_key)})
    assert RenderJob.objects.latest("created_at").total == 1
    assert services.run_render_job(job_id=job.pk).total == 1
    assert Certificate.objects.get(pk=issued.pk).pdf_rendered_at == before[issued.pk]
    # A job whose requester is gone re-renders nothing.
    RenderJob.objects.filter(pk=job.pk).update(requested_by=None)
    assert services.run_render_job(job_id=job.pk).total == 0


def test_a_render_job_is_seen_by_its_requester_and_superusers_only(client, issued, places, admin_user):
    quang_ninh = certificate_staff(username="staff_qn", full_name="Sở Quảng Ninh", staff_province=places["quang_ninh"])
    colleague = certificate_staff(username="staff_qn2", full_name="Đồng Nghiệp", staff_province=places["quang_ninh"])
    job = services.start_course_rerender(course_key=issued.course_key, course_title=issued.course_title,
                                         requested_by=quang_ninh)
    url = reverse("certificates_admin:job", args=[job.pk])
    for user, status in ((quang_ninh, 200), (admin_user, 200), (colleague, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        listed = client.get(reverse("certificates_admin:index")).context["jobs"]
        assert (job in listed) == (status == 200), user


def test_admin_needs_staff_with_the_permission(client, issued, people):
    trainer = people["trainer"]
    client.force_login(trainer)
    assert client.get(reverse("certificates_admin:index")).status_code in (302, 403)
    trainer.is_staff = True
    trainer.save()
    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"),
                                 Permission.objects.get(codename="change_certificate"))
    client.force_login(trainer)
    response = client.get(reverse("certificates_admin:index"))
    assert response.status_code == 200
    assert issued.serial in response.content.decode()  # Lan lives in the trainer's commune


def test_issuer_settings_are_frozen_on_new_certificates_and_images_are_drawn(
        people, course, django_capture_on_commit_callbacks):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file_jpeg
    from wagtail.models import Site

    from certificates.models import CertificateSettings

    logo = Image.objects.create(title="Logo", file=get_test_image_file_jpeg(size=(120, 120)))
    issuer = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.issuer_name = "Sở Khoa học và Công nghệ tỉnh Quảng Ninh (thử)"
    issuer.signer_name = "Phạm Văn Ký"
    issuer.logo = logo
    issuer.signature = logo
    issuer.save()
    consent(people["lan"])
    certificate = finish(people["lan"], course, django_capture_on_commit_callbacks)
    assert (certificate.issuer_name, certificate.signer_name) == (issuer.issuer_name, "Phạm Văn Ký")
    text = pdf_text(certificate)
    assert "Phạm Văn Ký" in text
    reader = PdfReader(certificate.pdf.path)
    assert any(str(xobject.get("/Subtype")) == "/Image" for xobject in _xobjects(reader.pages[0]))


def test_a_failing_issue_never_undoes_the_finished_course(people, course, django_capture_on_commit_callbacks):
    from unittest import mock

    consent(people["lan"])
    with mock.patch.object(services, "issue_certificate", side_effect=RuntimeError("printer on fire")):
        assert finish(people["lan"], course, django_capture_on_commit_callbacks) is None
    assert people["lan"].enrollments.get().completed_at is not None
    assert [c.serial for c in services.issue_missing_certificates(learner=people["lan"])] == [
        f"QN-{timezone.localdate().year}-000001"]


def test_certificate_settings_are_editable_in_the_wagtail_admin(client, admin_user):
    from wagtail.models import Site

    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["certificates", "certificatesettings", site.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ninh" in response.content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert reverse("certificates_admin:index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_markup_in_a_name_is_printed_as_text_not_obeyed():
    data = pdf.CertificateData(serial="QN-2026-000009", full_name='Lê <b>Văn</b> "Tám" & Co',
                               course_title="Khóa <i>học</i>", completed_on=timezone.localdate(),
                               verify_url="https://example.vn/certificates/verify/ABC/")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.render(data))).pages)
    assert 'Lê <b>Văn</b> "Tám" & Co' in text
    assert "Khóa <i>học</i>" in text


def test_the_renderer_runs_in_a_process_without_django(tmp_path):
    """A render process needs only the renderer: neither Django nor Wagtail is imported (its memory stays small)."""
    script = (
        "import sys, datetime\n"
        "from certificates import pdf\n"
        "data = pdf.CertificateData(serial='QN-2026-000001', full_name='Trần Thị Hoa', course_title='Khóa học',\n"
        "                           completed_on=datetime.date(2026, 7, 1), verify_url='https://example.vn/v/1/')\n"
        "content = pdf.render(data)\n"
        "assert content.startswith(b'%PDF'), content[:10]\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('django', 'wagtail')))\n"
    )
    from django.conf import settings

    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True,
                            text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_each_worker_process_takes_its_start_up_objects_out_of_the_garbage_collector():
    """Celery's worker_process_init freezes what start-up made, which keeps a long run of PDFs flat in memory."""
    import gc

    from celery.signals import worker_process_init

    gc.unfreeze()
    try:
        worker_process_init.send(sender=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_each_issuer_and_signer_gets_its_own_backdrop():
    """The fixed part is laid out once and kept: a certificate signed by someone else must not reuse it."""
    def text_of(signer: str, issuer: str) -> str:
        data = pdf.CertificateData(serial="QN-2026-000010", full_name="Hà Văn Tư", course_title="Khóa học",
                                   completed_on=timezone.localdate(), verify_url="https://example.vn/v/X/",
                                   issuer_name=issuer, signer_name=signer, signer_title="Giám đốc")
        return PdfReader(io.BytesIO(pdf.render(data))).pages[0].extract_text()

    first = text_of("Nguyễn Văn Bình", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    second = text_of("Trần Thị Thu", "Sở Khoa học và Công nghệ thành phố Hà Nội")
    again = text_of("Nguyễn Văn Bình", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    assert "Nguyễn Văn Bình" in first and "QUẢNG NINH" in first
    assert "Trần Thị Thu" in second and "HÀ NỘI" in second
    assert "Nguyễn Văn Bình" not in second and "QUẢNG NINH" not in second
    assert again == first


def test_the_printed_address_is_the_verification_url_without_its_scheme(issued):
    """What a learner types from the paper: the QR code's address, without "https://", on its two lines.

    Read with pdfplumber, which places characters by position as a PDF viewer does: pypdf takes some
    kerning between capitals of the code for a space.
    """
    import pdfplumber

    address = services.verification_url(issued.code).split("://", 1)[1]
    with pdfplumber.open(issued.pdf.path) as document:
        assert f"Tra cứu: {address}" in document.pages[0].extract_text().replace("\n", "")
