"""Content-Security-Policy and Permissions-Policy on public pages, admin screens and the API, in every settings."""

import json
import re
import subprocess
import sys

import pytest

from courses.demo import build_demo_courses
from courses.services import ensure_catalogue
from tests.conftest import make_user
from tests.test_settings import REPO_ROOT, production_env, random_key

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]  # no inline script or style
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response


def assert_permissions(response):
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["geolocation"] == "()" and features["camera"] == "()" and features["microphone"] == "()"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/certificates/verify/NOPE2345/"])
def test_public_pages_get_the_strict_policy(client, places, path):
    response = client.get(path)
    assert response.status_code == (404 if "NOPE" in path else 200)
    assert_strict(response)
    assert_permissions(response)


def test_the_api_gets_the_strict_policy(client):
    response = client.get("/api/v1/me/courses")
    assert response.status_code == 401
    assert_strict(response)
    assert_permissions(response)


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_admin_screens_get_the_admin_policy_scripts_still_strict(client, path):
    client.force_login(make_user(username="admin", email="admin@example.org", is_staff=True, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]  # plus a nonce on a page whose template asks for one
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # the page editor's injected styles (README)
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert_permissions(response)


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.production", "cms.settings.test"])
def test_every_settings_module_enforces_the_headers(module):
    """Enforced everywhere (development shows violations early); report-only nowhere."""
    code = (
        "import json; from django.conf import settings; print(json.dumps(["
        "'cms.headers.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE,"
        "'django_permissions_policy.PermissionsPolicyMiddleware' in settings.MIDDLEWARE,"
        "bool(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']),"
        "getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None),"
        "getattr(settings, 'PERMISSIONS_POLICY_REPORT_ONLY', None)]))"
    )
    env = production_env(SECRET_KEY=random_key(50), DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=REPO_ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, None, None]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.S)


def test_admin_forms_with_choosers_and_inline_panels_write_no_inline_script(client, places, settings, tmp_path):
    """Scripts stay 'self' in the admin: Wagtail's choosers and inline panels start from data attributes."""
    from wagtail.models import Site

    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()
    course = build_demo_courses()[0]  # its cover image is a chooser outside the StreamField
    client.force_login(make_user(username="root", full_name="Quản Trị", is_staff=True, is_superuser=True))
    site = Site.objects.get()
    for url in (f"/admin/pages/{course.pk}/edit/", "/admin/redirects/add/", f"/admin/sites/edit/{site.pk}/",
                "/admin/workflows/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_SCRIPT.findall(response.content.decode()), url
