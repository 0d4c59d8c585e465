"""Certificate PDFs on S3-compatible storage: the production switch in cms/settings/base.py, exercised
against moto's in-process S3 (django-storages and boto3 do everything they do against a real bucket)."""

import io
import runpy

import boto3
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty
from moto import mock_aws
from pypdf import PdfReader

from certificates import services
from certificates import storage as certificate_storage
from tests.courses_factory import make_course
from tests.test_certificates import consent, finish

pytestmark = pytest.mark.django_db
BUCKET = "bdhvs-certificates-test"


def _production_storages(monkeypatch) -> dict:
    """STORAGES as cms/settings/base.py builds it when AWS_STORAGE_BUCKET_NAME is set."""
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    return runpy.run_path(str(django_settings.BASE_DIR / "cms" / "settings" / "base.py"))["STORAGES"]


@pytest.fixture
def bucket(settings, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "certificates": _production_storages(monkeypatch)["certificates"]}
        certificate_storage._storage._wrapped = empty
        yield client
    certificate_storage._storage._wrapped = empty


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_certificate_pdfs_go_to_the_private_bucket_and_download_through_the_view(
        bucket, client, people, django_capture_on_commit_callbacks):
    course = make_course("Phòng tránh lừa đảo trực tuyến", lessons=1)
    consent(people["lan"])
    certificate = finish(people["lan"], course, django_capture_on_commit_callbacks)
    key = f"private-certificates/{timezone.localdate().year}/{certificate.serial}.pdf"
    assert _keys(bucket) == [key]
    stored = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert "Nguyễn Thị Lan" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [grant for grant in grants if "AllUsers" in str(grant["Grantee"].get("URI", ""))]

    # Re-rendering (after a name correction) replaces the one object under the same key.
    services.render_pdf(certificate_id=certificate.pk)
    assert _keys(bucket) == [key]

    url = reverse("certificate_download", args=[certificate.pk])
    client.force_login(people["mai"])
    assert client.get(url).status_code == 404
    client.force_login(people["lan"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
