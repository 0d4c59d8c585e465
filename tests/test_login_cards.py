"""Login cards: issued by the trainer as a PDF, hashed at rest, reissue revokes, sign-in rate-limited, and a card
session opens learning only."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from accounts.models import User
from audit.models import AuditEntry
from cohorts.models import Cohort
from cohorts.services import add_member
from registration import access, services
from registration.models import LoginCard
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CARD_LOGIN = "/card/"
CODE = re.compile(r"\b([2-9A-Z]{6}-[2-9A-Z]{6})\b")
REFUSED = "Đăng nhập bằng thẻ chỉ dùng để học. Hãy nhờ cán bộ hướng dẫn"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def page_mm(page) -> tuple[int, int]:
    return round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72)


@pytest.fixture
def trainer_client(client, people):
    client.force_login(people["trainer"])
    return client


def print_card(client, learner) -> str:
    """The trainer prints the learner's card; the code as read from the PDF."""
    response = client.post(reverse("registration:card", args=[learner.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return CODE.search(pdf_text(response.content)).group(1)


def card_client(django_client_class, code):
    client = django_client_class()
    response = client.post(CARD_LOGIN, {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def lan_card_client(trainer_client, people):
    from django.test import Client

    return card_client(Client, print_card(trainer_client, people["lan"]))


def test_a_printed_card_signs_its_person_in(trainer_client, people, client):
    lan = people["lan"]
    response = trainer_client.post(reverse("registration:card", args=[lan.pk]))
    text = pdf_text(response.content)
    assert "Nguyễn Thị Lan" in text and "Phường Hạ Long" in text and "Quét mã QR" in text
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1 and page_mm(pages[0]) == (105, 148)  # A6
    code = CODE.search(text).group(1)
    assert AuditEntry.objects.filter(action="login_card.issue", actor=people["trainer"]).count() == 1

    from django.test import Client

    holder = Client()
    assert code in holder.get(CARD_LOGIN + "?code=" + code).content.decode()  # the QR code fills it in
    signed_in = holder.post(CARD_LOGIN, {"code": code.lower().replace("-", " ")})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("my_learning")
    assert int(holder.session["_auth_user_id"]) == lan.pk
    assert holder.session["signed_in_with"] == "card"
    assert holder.get(reverse("my_learning")).status_code == 200
    card = LoginCard.objects.get(learner=lan)
    assert card.last_used_at is not None and card.issued_by == people["trainer"]
    # The trainer sees when it was issued and used.
    page = trainer_client.get(reverse("learner_detail", args=[lan.pk])).content.decode()
    assert "Thẻ đăng nhập cấp ngày" in page and "dùng lần cuối ngày" in page


def test_the_secret_is_stored_hashed(trainer_client, people):
    code = print_card(trainer_client, people["lan"])
    key, secret = code.split("-")
    card = LoginCard.objects.get()
    assert card.key == key
    assert card.secret_hash.startswith("pbkdf2_sha256$30000$") and secret not in card.secret_hash
    assert services.CARD_HASHER.verify(secret, card.secret_hash)


def test_reissuing_invalidates_the_old_card(trainer_client, people):
    from django.test import Client

    lan = people["lan"]
    old = print_card(trainer_client, lan)
    page = trainer_client.get(reverse("registration:card", args=[lan.pk])).content.decode()
    assert "In thẻ mới sẽ làm thẻ cũ mất hiệu lực ngay" in page
    new = print_card(trainer_client, lan)
    assert old != new
    refused = Client().post(CARD_LOGIN, {"code": old})
    assert refused.status_code == 400
    assert "Mã này không mở được thẻ nào" in refused.content.decode()
    card_client(Client, new)
    assert LoginCard.objects.filter(learner=lan, revoked_at=None).count() == 1


def test_a_wrong_code_never_says_which_part_is_wrong(trainer_client, people, client):
    code = print_card(trainer_client, people["lan"])
    key, secret = code.split("-")
    other_secret = ("2" if secret[0] != "2" else "3") + secret[1:]
    answers = []
    for wrong in (f"{key}-{other_secret}", f"ZZZZZZ-{secret}", "ABC", ""):
        response = client.post(CARD_LOGIN, {"code": wrong})
        assert response.status_code == 400
        main = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
        answers.append(re.sub(r'value="[^"]*"', "", main))
    assert answers[0] == answers[1] == answers[2]
    assert "Vui lòng nhập mã in trên thẻ" in answers[3]


def test_a_deactivated_person_cannot_use_their_card(trainer_client, people, client):
    code = print_card(trainer_client, people["lan"])
    User.objects.filter(pk=people["lan"].pk).update(is_active=False)
    assert client.post(CARD_LOGIN, {"code": code}).status_code == 400


def test_five_wrong_codes_lock_the_card(trainer_client, people, client):
    code = print_card(trainer_client, people["lan"])
    key = code.split("-")[0]
    for _ in range(5):
        assert client.post(CARD_LOGIN, {"code": f"{key}-222222"}).status_code == 400
    locked = client.post(CARD_LOGIN, {"code": code})  # even the right code, for now
    assert locked.status_code == 429
    assert "Đã thử quá nhiều lần với thẻ này" in locked.content.decode()
    assert int(locked["Retry-After"]) > 60


def test_four_wrong_codes_then_the_right_one_start_the_count_afresh(trainer_client, people, client):
    from django.test import Client

    code = print_card(trainer_client, people["lan"])
    key = code.split("-")[0]
    for _ in range(4):
        client.post(CARD_LOGIN, {"code": f"{key}-222222"})
    card_client(Client, code)
    for _ in range(5):
        assert client.post(CARD_LOGIN, {"code": f"{key}-222222"}).status_code == 400


def test_a_class_signs_in_together_but_a_guesser_is_stopped_per_connection(client, settings):
    """Forty people behind one Wi-Fi address sign in within a minute; the connection's limit stops a guesser."""
    import itertools

    limit = int(settings.RATE_LIMITS["login_card"].split(",")[1].split("/")[0])
    assert limit >= 40
    keys = ("".join(letters) for letters in itertools.product("ABCDEFGH", repeat=6))
    for key in itertools.islice(keys, limit):
        assert client.post(CARD_LOGIN, {"code": f"{key}-222222"}).status_code == 400
    assert client.post(CARD_LOGIN, {"code": "QQQQQQ-222222"}).status_code == 429


def test_only_the_trainer_of_the_persons_commune_prints_a_card(client, people):
    url = reverse("registration:card", args=[people["mai"].pk])  # Mai lives in Bãi Cháy
    client.force_login(people["trainer"])
    assert client.post(url).status_code == 404
    client.force_login(people["staff"])
    assert client.post(reverse("registration:card", args=[people["lan"].pk])).status_code == 404
    assert not LoginCard.objects.exists()


@pytest.fixture
def cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba")
    cohort.trainers.add(people["trainer"])
    for number in range(4):
        member = make_user(full_name=f"Người Học {'ABCDE'[number]}", commune=places["ha_long"])
        add_member(cohort=cohort, learner=member, added_by=people["trainer"])
    add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return cohort


def test_a_cohorts_cards_four_to_a_page_only_for_those_without_one(trainer_client, people, cohort):
    lan_code = print_card(trainer_client, people["lan"])
    url = reverse("registration:cohort_cards", args=[cohort.pk])
    page = trainer_client.get(url).content.decode()
    assert "5 thành viên có thể nhận thẻ; 4 người chưa có thẻ." in page
    response = trainer_client.post(url, {"who": "missing"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1 and page_mm(pages[0]) == (210, 297)  # A4, four cards
    assert len(CODE.findall(text)) == 4 and "Nguyễn Thị Lan" not in text and "Người Học A" in text
    # Lan's card still works; nothing is left to print for "missing".
    from django.test import Client

    card_client(Client, lan_code)
    again = trainer_client.post(url, {"who": "missing"})
    assert again.status_code == 302
    assert LoginCard.objects.filter(revoked_at=None).count() == 5


def test_a_cohorts_new_cards_for_everyone_revoke_the_old_ones(trainer_client, people, cohort):
    from django.test import Client

    lan_code = print_card(trainer_client, people["lan"])
    response = trainer_client.post(reverse("registration:cohort_cards", args=[cohort.pk]), {"who": "all"})
    text = pdf_text(response.content)
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2 and len(CODE.findall(text)) == 5
    assert Client().post(CARD_LOGIN, {"code": lan_code}).status_code == 400
    assert trainer_client.post(reverse("registration:cohort_cards", args=[cohort.pk]),
                               {"who": "nobody"}).status_code == 400


def test_a_cohort_of_another_commune_has_no_cards_page(client, people, places):
    other = Cohort.objects.create(commune=places["bai_chay"], name="Lớp Bãi Cháy")
    client.force_login(people["trainer"])
    assert client.get(reverse("registration:cohort_cards", args=[other.pk])).status_code == 404
    client.force_login(people["staff"])
    assert client.post(reverse("registration:cohort_cards", args=[other.pk]), {"who": "all"}).status_code == 404


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (Debian poppler-utils)")
def test_the_qr_code_opens_the_sign_in_with_the_code(trainer_client, people, tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode

    response = trainer_client.post(reverse("registration:card", args=[people["lan"].pk]))
    code = CODE.search(pdf_text(response.content)).group(1)
    (tmp_path / "card.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "card.pdf"),
                    str(tmp_path / "card")], check=True)
    found = [symbol.data.decode() for symbol in decode(Image.open(tmp_path / "card.png"))]
    assert found == [services.card_login_url(code)]
    assert found[0].endswith(f"/card/?code={code}")


# ------------------------------------------------------------------------------- a card session: learning only

def _routes(resolver=None, prefix=""):
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            yield from _routes(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item


def _example_path(route: str) -> str:
    """A URL of a route, its parameters filled with 1 (the card's middleware answers before any view runs)."""
    path = re.sub(r"<(?:int:)?[^>]+>", "1", route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def refused_paths() -> list[str]:
    paths = [reverse(name) if name not in ("learner_detail",) else reverse(name, args=[1])
             for name in sorted(access.REFUSED_URL_NAMES)]
    # Every page of the trainer's workspace, whichever app adds it.
    paths += [_example_path(route) for route, _pattern in _routes() if route.startswith("trainer/")]
    return paths + ["/admin/", "/admin/pages/", "/django-admin/"]


def test_the_refused_list_covers_the_workspace_and_the_account_pages():
    paths = refused_paths()
    assert {"/accounts/me/delete/", "/accounts/me/data.json", "/accounts/password/change/",
            "/accounts/password/set/", "/trainer/register/", "/trainer/learners/1/card/"} <= set(paths)


def test_a_card_session_is_refused_every_page_on_the_list(lan_card_client):
    for path in refused_paths():
        for method in ("get", "post"):
            response = getattr(lan_card_client, method)(path)
            assert response.status_code == 403, f"{method.upper()} {path}: {response.status_code}"
            assert REFUSED in response.content.decode(), path


def test_a_card_session_cannot_delete_the_account_or_take_its_data(lan_card_client, people):
    response = lan_card_client.post(reverse("delete_my_account"), {"password": "mat-khau-dai-123"})
    assert response.status_code == 403
    assert User.objects.filter(pk=people["lan"].pk).exists()
    assert people["lan"].phone not in lan_card_client.get(reverse("download_my_data")).content.decode()


def test_a_card_session_learns(lan_card_client):
    for name in ("my_learning", "my_account", "my_certificates"):
        assert lan_card_client.get(reverse(name)).status_code == 200, name
    assert lan_card_client.post(reverse("account_logout")).status_code == 302


def test_a_trainer_never_holds_a_card_of_a_colleague(client, people, places):
    """Printing a colleague's card would let a trainer sign in as them (tests/test_card_roles.py: every role)."""
    colleague = make_user(username="co", full_name="Lê Thị Hạnh", phone="+84912000077", commune=places["ha_long"])
    colleague.trainer_communes.add(places["ha_long"])
    client.force_login(people["trainer"])
    assert client.post(reverse("registration:card", args=[colleague.pk])).status_code == 404
    assert not LoginCard.objects.exists()


def test_signing_in_another_way_opens_the_whole_account_again(lan_card_client, people):
    assert lan_card_client.get(reverse("delete_my_account")).status_code == 403
    lan_card_client.force_login(people["lan"])  # django.contrib.auth.login in the same session, as any sign-in
    assert "signed_in_with" not in lan_card_client.session
    assert lan_card_client.get(reverse("delete_my_account")).status_code == 200
