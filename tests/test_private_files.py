"""Private files (certificate PDFs) are never served by a file route, however the URL is spelt, in any settings."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import clear_url_caches, reverse

import cms.urls
from certificates.storage import LEGACY_FOLDER, move_legacy_pdfs
from cms.checks import private_root_outside_public_roots
from tests.courses_factory import make_course
from tests.test_certificates import consent, finish

pytestmark = pytest.mark.django_db
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def debug_urls(settings):
    """The URL conf exactly as `make run` builds it (DEBUG=True adds the media route)."""
    settings.DEBUG = True
    importlib.reload(cms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(cms.urls)
    clear_url_caches()


@pytest.fixture
def certificate(people, django_capture_on_commit_callbacks):
    consent(people["lan"])
    return finish(people["lan"], make_course("Phòng tránh lừa đảo", lessons=1), django_capture_on_commit_callbacks)


def spellings(relative: str) -> set[str]:
    """Ways of writing one path below /media/ that a raw-path pattern would not recognise."""
    parts = relative.split("/")
    tail = "/".join(parts[1:])
    found = {relative, f"./{relative}", f"%2e/{relative}", f"%2E/{relative}", f"/{relative}", f"//{relative}",
             f"x/../{relative}", f"x/%2e%2e/{relative}", f"x/%2E%2E/{relative}", relative.replace("/", "//"),
             relative.replace("/", "%2f"), relative.replace("/", "%2F"), relative.replace("/", "/./"),
             relative.replace("/", "\\"), relative.replace("/", "%5c"), relative.upper(), relative.title(),
             f"{parts[0]}/./{tail}", f"{parts[0]}%2f{tail}", f"{parts[0].upper()}/{tail}",
             f"%2e%2e/{Path(settings.MEDIA_ROOT).name}/{relative}", f"../{Path(settings.MEDIA_ROOT).name}/{relative}"}
    return {spelling for spelling in found if spelling}


def private_spellings(pdf_path: Path) -> set[str]:
    media = Path(settings.MEDIA_ROOT).resolve()
    relative = os.path.relpath(pdf_path.resolve(), media).replace(os.sep, "/")
    name = "/".join(pdf_path.parts[-2:])  # year/serial.pdf, as the storage names it
    absolute = pdf_path.resolve().as_posix()
    return (spellings(relative) | spellings(f"{LEGACY_FOLDER}/{name}") | spellings(f"linked/certificates/{name}")
            | spellings(f"linked/{name}") | {"pdf-link.pdf", absolute, f"/{absolute}", absolute.replace("/", "%2f")})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_spelling_of_a_media_url_returns_a_private_pdf(client, debug_urls, certificate):
    pdf_path = Path(certificate.pdf.path)
    private_bytes = pdf_path.read_bytes()
    assert private_bytes.startswith(b"%PDF")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    public = media / "documents" / "public-check.txt"
    public.parent.mkdir(parents=True, exist_ok=True)
    public.write_bytes(b"public")
    # Symlinks a careless deploy might leave in the public folder: to the private root and to one PDF.
    links = [(media / "linked", Path(settings.PRIVATE_MEDIA_ROOT)), (media / "pdf-link.pdf", pdf_path)]
    # And a PDF still at its place from before PRIVATE_MEDIA_ROOT, until `prepare_site` moves it.
    legacy = media / LEGACY_FOLDER / certificate.pdf.name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(private_bytes)
    for link, target in links:
        link.unlink(missing_ok=True)
        link.symlink_to(target.resolve())
    try:
        assert body(client.get("/media/documents/public-check.txt")) == b"public"  # the route is there
        served = {}
        for spelling in sorted(private_spellings(pdf_path)):
            for prefix in ("/media/", "/static/", "/documents/"):
                response = client.get(prefix + spelling)
                leaked = private_bytes in body(response)
                assert not leaked, prefix + spelling
                assert response.status_code < 500, prefix + spelling
                served[prefix + spelling] = response.status_code
        assert set(served.values()) <= {301, 302, 404}, {url: code for url, code in served.items() if code == 200}
    finally:
        public.unlink()
        legacy.unlink()
        for link, _target in links:
            link.unlink()


def test_the_private_root_is_outside_every_public_folder_here():
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        public = Path(public).resolve()
        assert not private.is_relative_to(public) and not public.is_relative_to(private)
    assert private_root_outside_public_roots(None) == []


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.test", "cms.settings.production"])
def test_every_settings_module_keeps_the_private_root_outside_media_and_static(module):
    code = ("import django; django.setup()\n"
            "from pathlib import Path; from django.conf import settings\n"
            "from django.core.management import call_command\n"
            "from certificates.storage import certificate_storage\n"
            "private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()\n"
            "for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):\n"
            "    public = Path(public).resolve()\n"
            "    assert not private.is_relative_to(public) and not public.is_relative_to(private), (private, public)\n"
            "assert Path(certificate_storage().location).resolve().is_relative_to(private)\n"
            "call_command('check')\n")
    env = {key: value for key, value in os.environ.items()
           if key not in {"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "AWS_STORAGE_BUCKET_NAME"}}
    env.update(DJANGO_SETTINGS_MODULE=module, SECRET_KEY="x" * 50)
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_a_private_root_inside_media_is_refused_by_the_system_check(settings):
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT) / "private"
    assert [error.id for error in private_root_outside_public_roots(None)] == ["cms.E001"]
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT).parent
    assert [error.id for error in private_root_outside_public_roots(None)] == ["cms.E001", "cms.E001"]


def test_pdfs_left_under_media_move_to_the_private_root_and_still_download(client, certificate, people):
    """An install from before PRIVATE_MEDIA_ROOT: `prepare_site` moves its PDFs once; downloads keep working."""
    current = Path(certificate.pdf.path)
    content = current.read_bytes()
    legacy = Path(settings.MEDIA_ROOT) / LEGACY_FOLDER / certificate.pdf.name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    current.rename(legacy)
    assert move_legacy_pdfs() == 1
    assert not (Path(settings.MEDIA_ROOT) / LEGACY_FOLDER).exists()
    assert current.read_bytes() == content
    assert move_legacy_pdfs() == 0
    client.force_login(people["lan"])
    response = client.get(reverse("certificate_download", args=[certificate.pk]))
    assert response.status_code == 200
    assert body(response) == content
