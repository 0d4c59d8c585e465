"""Control characters, broken encodings and wrong-typed values anywhere in a request are a 400, never a 500.

Run on PostgreSQL too (CI does): there a NUL that reached the database would be a 500.
"""

import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.conftest import make_user
from tests.courses_factory import make_course

pytestmark = pytest.mark.django_db

# Every C0 control character but tab, line feed and carriage return.
CONTROLS = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]
# Query parameters our views, Wagtail's and Django's admin read.
PARAMS = ["q", "p", "page", "commune", "province", "course", "status", "next", "o", "e", "ordering", "locale",
          "content_type", "id", "pk", "code", "username", "phone", "search", "all", "sort", "order", "year",
          "created_via", "is_staff", "commune__code__exact", "staff_province__code__exact", "groups__id__exact",
          "owner", "site", "content_type__id__exact", "date_joined__gte", "fields", "format"]
# Routes a walk of the URL conf cannot fill in (regular expressions): Wagtail's pages, documents, files.
EXTRA = ["/", "/en/", "/khoa-hoc/", "/documents/1/bai-hoc.pdf", "/static/css/site.css", "/media/x.png"]
SAMPLE = {"int": "1", "str": "x", "path": "x", "slug": "x", "uuid": str(uuid.uuid4())}
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _concrete(prefix: str, pattern) -> str | None:
    """A path this pattern matches, with sample values in its parameters; None if it is not simple to build."""
    text = str(pattern)
    if hasattr(pattern, "regex") and text.startswith("^"):
        text = GROUP.sub("x", text.lstrip("^").rstrip("$").replace("\\Z", ""))
        if re.search(r"[\\()\[\]*+?|{}^$]", text):
            return None
    else:
        text = CONVERTER.sub(lambda match: SAMPLE.get(match.group(1) or "str", "x"), text)
    return prefix + text


def url_conf_paths() -> list[str]:
    """One concrete path for every URL pattern of the URL conf that can be filled in simply (a few hundred)."""
    found: set[str] = set()

    def walk(patterns, prefix):
        for entry in patterns:
            built = _concrete(prefix, entry.pattern)
            if built is None:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, built)
            elif isinstance(entry, URLPattern):
                found.add("/" + built)

    walk(get_resolver().url_patterns, "")
    paths = list(EXTRA)
    for path in sorted(found):
        try:
            resolve(path)
        except Resolver404:
            continue
        paths.append(path)
    return paths


@pytest.fixture
def roles(people):
    """An anonymous visitor, a resident, a trainer and a superuser (who reaches every admin screen)."""
    admin = make_user(username="root", full_name="Quản Trị", email="root@example.org", is_staff=True,
                      is_superuser=True)
    clients = {"anonymous": Client()}
    for name, user in {"resident": people["lan"], "trainer": people["trainer"], "admin": admin}.items():
        clients[name] = Client()
        clients[name].force_login(user)
    make_course("Phòng tránh lừa đảo trực tuyến", lessons=1)
    return clients


def assert_refused(response, where: str):
    assert response.status_code == 400, (where, response.status_code)
    if where.split()[-1].startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid_characters", where
    else:
        # The site's 400 page, in Vietnamese unless the address asks for English.
        expected = "Bad request" if where.split()[-1].startswith("/en/") else "Yêu cầu không hợp lệ"
        assert expected in response.content.decode(), where


def test_the_url_conf_is_walked_whole():
    paths = url_conf_paths()
    for expected in ("/places/communes/search/", "/certificates/verify/x/", "/accounts/learners/",
                     "/accounts/signup/", "/admin/", "/django-admin/", "/api/v1/me/courses"):
        assert any(path.startswith(expected) for path in paths), expected
    assert len(paths) > 150


def test_nul_in_any_path_any_query_parameter_or_form_field_is_a_400(roles):
    paths = url_conf_paths()
    for role, client in roles.items():
        for path in paths:
            assert_refused(client.get(path + "%00"), f"{role} GET {path}%00")
            assert_refused(client.get(path.rstrip("/") + "%00/"), f"{role} GET {path.rstrip('/')}%00/")
            for param in PARAMS if role == "admin" else PARAMS[:3]:
                assert_refused(client.get(path, {param: "a\x00b"}), f"{role} GET ?{param} {path}")
            assert_refused(client.get(path, {"a\x00": "1"}), f"{role} GET key {path}")
            assert_refused(client.post(path, {"province": "22\x00", "next": "/"}), f"{role} POST form {path}")
            assert_refused(client.post(path, {"full_name": "x\x00"}, format="multipart"), f"{role} POST multi {path}")


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_control_character_is_refused_where_people_type(roles, control):
    client = roles["admin"]
    for url in ("/places/communes/search/", "/accounts/learners/", "/admin/pages/search/", "/admin/users/",
                "/django-admin/accounts/user/", "/django-admin/certificates/certificate/", "/admin/certificates/"):
        for param in ("q", "commune", "course", "p"):
            assert_refused(client.get(url, {param: f"Hạ{control}Long"}), f"GET {url}?{param}")
    assert_refused(client.get(f"/certificates/verify/AB{control}CD/"), "GET verify")
    assert_refused(roles["anonymous"].post("/accounts/signup/", {
        "phone": "0912 345 999", "full_name": "Nguyễn Văn An", "province": f"22{control}", "commune": "06688",
        "password1": "mat-khau-dai-123", "password2": "mat-khau-dai-123"}), "POST /accounts/signup/")
    body = f'{{"answers": {{"q1": ["a\\u{ord(control):04x}"]}}}}'  # the character as a JSON escape
    assert_refused(roles["resident"].post("/api/v1/attempts/x/submit", body, content_type="application/json"),
                   "POST /api/v1/")


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
def test_a_control_character_in_a_cookie_is_a_400(roles, cookie):
    client = roles["resident"]
    client.cookies[cookie] = "abcdefgh\x00ijkl"
    assert_refused(client.get("/accounts/me/"), "GET /accounts/me/")
    response = client.post("/accounts/login/", {"login": "x@example.org", "password": "y"})
    assert_refused(response, "POST /accounts/login/")


def test_a_nul_deep_inside_a_json_body_is_a_400(roles):
    body = "[" * 900 + '"a\\u0000"' + "]" * 900
    response = roles["resident"].post("/api/v1/attempts/x/submit", body, content_type="application/json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_characters")


def test_tab_and_newlines_still_pass(roles):
    assert roles["anonymous"].get("/places/communes/search/", {"q": "Hạ\tLong\r\n"}).status_code == 200


@pytest.mark.parametrize("query", ["q=%zz", "q=%E9", "q=%C3", "q=50%", "%FF=1", "q=%ED%A0%80"])
def test_broken_percent_encoding_and_invalid_utf8_are_refused(roles, query):
    response = roles["admin"].get("/places/communes/search/", QUERY_STRING=query)
    assert response.status_code == 400, query
    assert roles["admin"].get("/api/v1/courses", QUERY_STRING=query).json()["error"]["code"] == "invalid_characters"


def test_a_urlencoded_body_with_broken_escapes_is_refused(roles):
    response = roles["anonymous"].post("/accounts/login/", "login=0912%zz&password=x",
                                       content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["notauuid", "-1", "99999999999999999999", "' OR 1=1 --", "é" * 300])
def test_wrong_typed_query_values_are_never_a_500(roles, value):
    paths = [path for path in url_conf_paths() if path.startswith(("/admin/", "/django-admin/", "/accounts/"))
             and path != "/admin/failwhale/"]  # Wagtail's page that raises on purpose
    params = [param for param in PARAMS if param != "next"]
    for path in paths:
        # Django's admin answers any unknown parameter with a redirect: try its lists one parameter at a time.
        one_by_one = path.startswith("/django-admin/") and path.count("/") == 4
        for query in ([{param: value} for param in params] if one_by_one else [dict.fromkeys(params, value)]):
            response = roles["admin"].get(path, query)
            assert response.status_code < 500, (path, query)


@pytest.mark.parametrize("value", ["notauuid", "-1", "dashboard"])
def test_a_next_that_is_no_address_is_a_400(roles, value):
    """Wagtail's login page hands ?next= to redirect(), which takes a bare word for a URL name: a 500."""
    assert roles["admin"].get("/admin/login/", {"next": value}).status_code == 400
    assert roles["admin"].get("/admin/login/", {"next": "/admin/pages/"}).status_code == 302


def test_a_non_uuid_course_filter_is_a_400_page(roles):
    response = roles["admin"].get("/admin/certificates/", {"course": "notauuid"})
    assert response.status_code == 400
    assert roles["admin"].get("/admin/certificates/", {"course": str(uuid.uuid4())}).status_code == 200
    response = roles["admin"].post("/admin/certificates/rerender-course/", {"course": "notauuid"})
    assert response.status_code == 302


def test_bad_input_that_reaches_the_orm_is_a_400_in_one_place(roles, rf):
    from django.core.exceptions import ValidationError
    from django.db import DataError

    from cms.middleware import RequestEdgeMiddleware

    middleware = RequestEdgeMiddleware(lambda request: None)
    for error in (ValidationError("“notauuid” is not a valid UUID."), DataError("integer out of range")):
        assert middleware.process_exception(rf.get("/admin/x/"), error).status_code == 400
        response = middleware.process_exception(rf.get("/api/v1/x"), error)
        assert (response.status_code, json.loads(response.content)["error"]["code"]) == (400, "invalid_input")
    assert middleware.process_exception(rf.get("/"), RuntimeError("a bug")) is None


@pytest.mark.parametrize("content_type", ["text/plain", "application/merge-patch+json", "application/octet-stream",
                                          ""])
def test_a_nul_in_json_is_refused_whatever_content_type_it_declares(roles, content_type):
    """The API's parser (django-ninja) reads the body as JSON whatever its declared type."""
    body = '{"answers": {"q1": ["a\\u0000"]}}'
    response = roles["resident"].post("/api/v1/attempts/x/submit", body, content_type=content_type)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_characters")
