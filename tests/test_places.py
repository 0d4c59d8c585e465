"""The official place list (load_places), its JSON endpoints and its admin."""

import unicodedata
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from places.models import Commune, Province
from places.text import search_key

COMMUNES_URL = "places:province_communes"


def search_url():
    return reverse("places:commune_search")


def communes_url(code):
    return reverse(COMMUNES_URL, args=[code])


def run_load_places() -> str:
    out = StringIO()
    call_command("load_places", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded_places(django_db_setup, django_db_blocker):
    """Load the whole official list once for this module and remove it afterwards.

    Tests that use it also use `db`, so whatever they change is rolled back; the rows
    themselves are committed, so they are deleted at the end (other modules create
    their own few places with the same codes).
    """
    with django_db_blocker.unblock():
        was_empty = not Commune.objects.exists() and not Province.objects.exists()
        output = run_load_places()
    yield output
    if was_empty:
        with django_db_blocker.unblock():
            Commune.objects.all().delete()
            Province.objects.all().delete()


pytestmark = pytest.mark.django_db


# --- load_places --------------------------------------------------------------------------


def test_first_load_creates_everything(loaded_places):
    assert loaded_places.strip() == (
        "Provinces: 34 created, 0 updated, 0 unchanged; "
        "communes: 3321 created, 0 updated, 0 unchanged"
    )
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert all(len(code) == 2 for code in Province.objects.values_list("code", flat=True))
    assert all(len(code) == 5 for code in Commune.objects.values_list("code", flat=True))


def test_quang_ninh(loaded_places):
    quang_ninh = Province.objects.get(code="22")
    assert quang_ninh.name == "Quảng Ninh"
    communes = Commune.objects.filter(province=quang_ninh)
    assert communes.count() == 54
    assert Counter(communes.values_list("division_type", flat=True)) == {
        "phường": 30,
        "xã": 22,
        "đặc khu": 2,
    }
    special = set(communes.filter(division_type="đặc khu").values_list("name", flat=True))
    assert special == {"Đặc khu Vân Đồn", "Đặc khu Cô Tô"}
    ha_long = Commune.objects.get(name="Phường Hạ Long")
    assert ha_long.code == "06688"
    assert ha_long.search_name == "phuong ha long"


def test_names_are_nfc(loaded_places):
    names = [
        *Province.objects.values_list("name", flat=True),
        *Commune.objects.values_list("name", flat=True),
    ]
    assert len(names) == 34 + 3321
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_second_run_changes_nothing(loaded_places):
    before = list(Commune.objects.order_by("code").values_list())
    output = run_load_places()
    assert output.strip() == (
        "Provinces: 0 created, 0 updated, 34 unchanged; "
        "communes: 0 created, 0 updated, 3321 unchanged"
    )
    assert list(Commune.objects.order_by("code").values_list()) == before
    assert Province.objects.count() == 34


def test_rerun_repairs_names_keeps_target_population_and_stale_rows(loaded_places):
    Commune.objects.filter(code="06688").update(
        name="Phuong Ha Long cu", search_name="x", target_population=12345
    )
    Commune.objects.create(
        code="99999",
        name="Xã Đã Sáp Nhập",
        codename="xa_da_sap_nhap",
        division_type="xã",
        province_id="22",
    )
    output = run_load_places()
    assert "communes: 0 created, 1 updated, 3320 unchanged" in output
    assert "1 stale kept (99999)" in output
    ha_long = Commune.objects.get(code="06688")
    assert (ha_long.name, ha_long.search_name, ha_long.target_population) == (
        "Phường Hạ Long",
        "phuong ha long",
        12345,
    )
    assert Commune.objects.filter(code="99999").exists()


# --- JSON endpoints -----------------------------------------------------------------------


def result_names(response):
    return [r["name"] for r in response.json()["results"]]


@pytest.mark.parametrize("query", ["ha long", "HẠ LONG", "  Hạ   long "])
def test_search_is_diacritic_and_case_insensitive(client, loaded_places, query):
    response = client.get(search_url(), {"q": query})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0] == {
        "code": "06688",
        "name": "Phường Hạ Long",
        "province_code": "22",
        "province_name": "Quảng Ninh",
    }
    assert len(results) <= 20
    assert "public" in response["Cache-Control"]


def test_search_every_word_must_match(client, loaded_places):
    names = result_names(client.get(search_url(), {"q": "phuong long"}))
    assert names
    for name in names:
        key = name.lower()
        assert "phường" in key and "long" in key


def test_search_restricted_to_province(client, loaded_places):
    results = client.get(search_url(), {"q": "ha", "province": "22"}).json()["results"]
    assert results and {r["province_code"] for r in results} == {"22"}
    names = result_names(client.get(search_url(), {"q": "ha long", "province": "01"}))
    assert "Phường Hạ Long" not in names


def test_search_limit_and_queries(client, loaded_places, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(search_url(), {"q": "xa"})
    assert len(response.json()["results"]) == 20


@pytest.mark.parametrize("query", ["", "   ", "h"])
def test_empty_search(client, loaded_places, query):
    response = client.get(search_url(), {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_search_too_long(client, db):
    response = client.get(search_url(), {"q": "a" * 101}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response.json()["error"]
    assert client.get(search_url(), {"q": "a" * 100}).status_code == 200


def test_province_communes(client, loaded_places):
    response = client.get(communes_url("22"))
    assert response.status_code == 200
    communes = response.json()["communes"]
    assert len(communes) == 54
    assert set(communes[0]) == {"code", "name"}
    assert {"code": "06688", "name": "Phường Hạ Long"} in communes
    keys = [search_key(c["name"]) for c in communes]
    assert keys == sorted(keys)
    assert "max-age=86400" in response["Cache-Control"]


def test_province_communes_constant_queries(client, loaded_places, django_assert_max_num_queries):
    counts = []
    for code in ("22", "01", "79"):  # 54, 126 and 168 communes
        with CaptureQueriesContext(connection) as queries:
            assert client.get(communes_url(code)).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1
    with django_assert_max_num_queries(3):
        client.get(communes_url("22"))


def test_unknown_province_is_json_404(client, loaded_places):
    response = client.get(communes_url("99"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_endpoints_are_get_only(client, db):
    assert client.post(search_url(), {"q": "ha long"}).status_code == 405
    assert client.post(communes_url("22")).status_code == 405


# --- admin --------------------------------------------------------------------------------


def test_admin_search_without_diacritics(admin_client, loaded_places):
    response = admin_client.get(reverse("admin:places_commune_changelist"), {"q": "ha long"})
    assert response.status_code == 200
    assert "Phường Hạ Long" in response.content.decode()
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "HẠ LONG", "app_label": "accounts", "model_name": "user", "field_name": "commune"},
    )
    if response.status_code == 200:  # only when the user admin uses autocomplete_fields
        assert any(r["text"].startswith("Phường Hạ Long") for r in response.json()["results"])


def test_admin_province_list(admin_client, loaded_places):
    response = admin_client.get(reverse("admin:places_province_changelist"))
    assert response.status_code == 200
    assert "Quảng Ninh" in response.content.decode()
