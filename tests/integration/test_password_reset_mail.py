"""The staff email reset through a real broker and worker: the request only queues, the worker mails the link."""

import re
import time

import pytest

from tests.conftest import make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _mails(mail_dir, timeout=15.0, expect=1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if len(files) >= expect:
            break
        time.sleep(0.2)
    return [path.read_text(encoding="utf-8") for path in sorted(mail_dir.glob("*.log"))] if mail_dir.exists() else []


def test_the_worker_mails_a_working_link_to_a_known_address_only(client, celery_worker):
    staff = make_user(email="so-tt@example.org", phone="+84912000301")
    before = len(_mails(celery_worker.mail_dir, timeout=0))
    for email in ["nobody-here@example.org", "so-tt@example.org"]:
        response = client.post("/accounts/password/reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="vi")
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/reset/done/")

    mails = _mails(celery_worker.mail_dir, expect=before + 1)[before:]
    assert len(mails) == 1, celery_worker.log()
    assert "To: so-tt@example.org" in mails[0]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mails[0]).group(1)
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"password1": "mat-khau-moi-2025", "password2": "mat-khau-moi-2025"})
    staff.refresh_from_db()
    assert staff.check_password("mat-khau-moi-2025")
