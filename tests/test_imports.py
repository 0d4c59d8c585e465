"""Importing residents from a spreadsheet: the template, the preview of each row, the import and its rules, and
every kind of bad file refused with a Vietnamese message before anything is saved."""

import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Consent, User
from accounts.scoping import visible
from audit.models import AuditEntry
from cohorts.models import Cohort, Membership
from imports import spreadsheet
from imports.models import ImportJob, ImportRow
from imports.selectors import CommuneFinder
from imports.tasks import import_rows
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HEADERS = list(spreadsheet.HEADERS.values())
UPLOAD = reverse("imports:upload")


def xlsx(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, delimiter=",", encoding="utf-8") -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba", created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    return cohort


@pytest.fixture
def trainer_client(client, people):
    client.force_login(people["trainer"])
    return client


def send(client, content: bytes, name="danh-sach.xlsx", cohort=None, commune="06688", **extra):
    data = {"file": SimpleUploadedFile(name, content), "commune": commune, "consent_learning": "on", **extra}
    if cohort:
        data["cohort"] = cohort.pk
    return client.post(UPLOAD, data)


@pytest.fixture
def confirm(trainer_client, django_capture_on_commit_callbacks):
    """POST the confirmation and run what it queues on commit (the task, in-process: CELERY_TASK_ALWAYS_EAGER)."""

    def post(job, client=trainer_client, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("imports:confirm", args=[job.pk]), **kwargs)

    return post


def preview(client, content, **kwargs) -> ImportJob:
    response = send(client, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def statuses(job) -> dict[int, tuple[str, str]]:
    return {row.number: (row.status, row.reason) for row in job.rows.all()}


# ------------------------------------------------------------------------------------------------ the template

def test_the_template_has_the_vietnamese_headers_and_one_example_row(trainer_client):
    response = trainer_client.get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["Họ và tên", "Số điện thoại", "Năm sinh", "Giới tính", "Xã/phường (mã hoặc tên)",
                             "Đồng ý nhận tin nhắn về lớp học? (Có/Không)"]
    assert len(rows) == 2 and rows[1][0] == "Trần Thị Thu"


def test_the_template_filled_in_as_it_comes_previews_its_example(trainer_client):
    job = preview(trainer_client, trainer_client.get(reverse("imports:template")).content)
    assert statuses(job) == {2: ("new", "")}
    row = job.rows.get()
    assert (row.phone, row.year_of_birth, row.gender, row.commune_id, row.wants_contact) == (
        "+84912345678", 1958, "female", "06688", True)


def test_the_upload_page_offers_the_trainers_cohorts_and_preselects_one(trainer_client, cohort):
    page = trainer_client.get(UPLOAD + f"?cohort={cohort.pk}")
    assert page.status_code == 200
    assert f'<option value="{cohort.pk}" selected>' in page.content.decode()
    assert "Tải mẫu" in page.content.decode()


# ------------------------------------------------------------------------------------------------- the preview

def test_the_preview_shows_each_rows_status_and_saves_no_account(trainer_client, people):
    users, consents = User.objects.count(), Consent.objects.count()
    rows = [
        ["Trần Văn Bình", "0912 111 222", 1958, "Nam", "Phường Hạ Long", "Có"],  # 2 new
        ["Nguyễn Thị Lan", "0912000101", 1962, "Nữ", "ha long", ""],  # 3 already registered (Lan's phone)
        ["Lê Thị Cúc", "0912 ABC 678", 1960, "Nữ", "", ""],  # 4 bad phone
        ["Hoàng Văn Dũng", "", "năm 60", "Nam", "", ""],  # 5 bad year
        ["", "0912 111 333", 1970, "Nam", "", ""],  # 6 missing name
        ["Phan Thị Én", "", 1971, "Nữ", "Phường Không Có", ""],  # 7 unknown commune
        ["Vũ Văn Giang", "", 1972, "Nam", "Phường Bãi Cháy", ""],  # 8 outside the trainer's area
        ["Trần Văn Bình", "0912.111.222", 1958, "Nam", "", ""],  # 9 repeats row 2 (same phone)
        ["Đỗ Minh Khôi", "", 2015, "Nam", "", ""],  # 10 under 16
        ["Nguyễn Thị Lan", "0912 999 888", 1962, "Nữ", "06688", ""],  # 11 Lan's name, year, commune: new phone
        ["Mai Văn Hậu", "", 1961, "Không rõ", "", ""],  # 12 bad gender
    ]
    job = preview(trainer_client, xlsx(rows))
    assert statuses(job) == {
        2: ("new", ""), 3: ("existing", ""), 4: ("error", "bad_phone"), 5: ("error", "bad_year"),
        6: ("error", "missing_name"), 7: ("error", "unknown_commune"), 8: ("error", "outside_area"),
        9: ("duplicate", "repeated"), 10: ("error", "minor"), 11: ("duplicate", "same_person"),
        12: ("error", "bad_gender"),
    }
    assert (job.total, job.new, job.existing, job.duplicates, job.errors) == (11, 1, 1, 2, 7)
    assert job.status == "previewed"
    assert (User.objects.count(), Consent.objects.count(), Membership.objects.count()) == (users, consents, 0)

    page = trainer_client.get(reverse("imports:detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ngoài địa bàn của bạn" in html
    assert "Xã/phường không có trong danh sách" in html
    assert "“0912 ABC 678”" in html
    assert "(dòng 2)" in html  # the earlier row a repeat refers to
    assert "Nhập 2 người" in html  # the confirm button: new + already registered
    assert html.index("Số điện thoại không phải") < html.index("Trần Văn Bình")  # errors first


def test_the_preview_lists_one_status_at_a_time_and_in_pages(trainer_client):
    rows = [[f"Người Thứ {chr(65 + n % 26)}{chr(65 + n // 26)}", "", 1960 + n % 30, "", "", ""] for n in range(120)]
    rows[7][2] = "abc"
    job = preview(trainer_client, xlsx(rows))
    detail = reverse("imports:detail", args=[job.pk])
    errors = trainer_client.get(detail, {"status": "error"})
    assert [row.number for row in errors.context["page"].object_list] == [9]
    first = trainer_client.get(detail)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].number == 9  # the error first
    assert len(first.content) <= 40_000
    last = trainer_client.get(detail, {"page": 3})
    assert len(last.context["page"].object_list) == 20


@pytest.mark.parametrize("written", ["06688", "6688", "ha long", "Hạ Long", "Phường Hạ Long", "PHUONG HA LONG",
                                     "  phường   hạ long ", ""])
def test_a_commune_is_found_by_code_or_by_name_without_diacritics(people, places, written):
    finder = CommuneFinder(viewer=people["trainer"], default=places["ha_long"])
    assert finder.find(spreadsheet.as_text(written)) == (places["ha_long"], "")


@pytest.mark.parametrize(("written", "reason"), [("Phường Bãi Cháy", "outside_area"), ("bai chay", "outside_area"),
                                                 ("06673", "outside_area"), ("00070", "outside_area"),
                                                 ("Phường Không Có", "unknown_commune"), ("99999", "unknown_commune")])
def test_a_commune_outside_the_trainers_area_or_unknown_is_an_error(people, places, written, reason):
    finder = CommuneFinder(viewer=people["trainer"], default=places["ha_long"])
    assert finder.find(written) == (None, reason)


def test_a_csv_with_a_bom_and_semicolons_reads_like_the_xlsx(trainer_client):
    content = b"\xef\xbb\xbf" + csv_bytes([["Trần Văn Bình", "0912111222", "1958", "nam", "ha long", "có"]],
                                          delimiter=";")
    job = preview(trainer_client, content, name="danh-sach.csv")
    row = job.rows.get()
    assert (row.status, row.full_name, row.phone, row.gender, row.wants_contact) == (
        "new", "Trần Văn Bình", "+84912111222", "male", True)


def test_cells_are_text_formulas_are_not_run_and_a_phone_typed_as_a_number_keeps_its_zero(trainer_client):
    job = preview(trainer_client, xlsx([['=HYPERLINK("http://x.example","Bấm")', 912111222, 1958, "", "", ""],
                                        ["Trần Văn Bình", 912111222, 1958.0, "", 6688, ""]]))
    assert statuses(job) == {2: ("error", "bad_name"), 3: ("new", "")}
    assert job.rows.get(number=2).value.startswith("=HYPERLINK")
    assert job.rows.get(number=3).phone == "+84912111222"


def test_a_year_is_checked_at_its_limits(trainer_client):
    this_year = __import__("datetime").date.today().year
    rows = [["Người Một", "", 1899, "", "", ""], ["Người Hai", "", 1900, "", "", ""],
            ["Người Ba", "", this_year - 16, "", "", ""], ["Người Bốn", "", this_year - 15, "", "", ""],
            ["Người Năm", "", this_year + 1, "", "", ""]]
    job = preview(trainer_client, xlsx(rows))
    assert statuses(job) == {2: ("error", "bad_year"), 3: ("new", ""), 4: ("new", ""), 5: ("error", "minor"),
                             6: ("error", "bad_year")}


# -------------------------------------------------------------------------------------------------- the import

def test_confirming_imports_with_the_rules_of_registering_in_person(trainer_client, people, cohort, confirm):
    rows = [["Trần Văn Bình", "0912 111 222", 1958, "Nam", "", "Có"],
            ["Lê Thị Cúc", "", 1960, "Nữ", "ha long", "Không"],
            ["Nguyễn Thị Lan", "0912000101", 1962, "Nữ", "", ""],
            ["Sai Năm", "", 1800, "", "", ""]]
    job = preview(trainer_client, xlsx(rows), cohort=cohort, consent_certification="on", consent_contact="on")
    response = confirm(job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.done, job.to_import, job.created, job.joined) == ("done", 3, 3, 2, 3)
    binh = User.objects.get(phone="+84912111222")
    cuc = User.objects.get(full_name="Lê Thị Cúc")
    trainer = people["trainer"]
    for person in (binh, cuc):
        assert (person.created_via, person.registered_by, person.commune_id) == ("import", trainer, "06688")
        assert not person.has_usable_password()
        assert set(person.consents.values_list("method", "recorded_by")) == {("trainer", trainer.pk)}
    assert {row.number: row.learner for row in job.rows.all()} == {2: binh, 3: cuc, 4: people["lan"], 5: None}
    assert set(binh.consents.values_list("purpose", flat=True)) == {"learning", "certification", "contact"}
    assert set(cuc.consents.values_list("purpose", flat=True)) == {"learning", "certification"}  # said Không
    assert set(cohort.memberships.values_list("learner__full_name", flat=True)) == {
        "Trần Văn Bình", "Lê Thị Cúc", "Nguyễn Thị Lan"}
    assert people["lan"].consents.count() == 0  # already registered: her account is left as it is
    entry = AuditEntry.objects.get(action="residents.import")
    assert (entry.actor, entry.details["created"], entry.details["joined"]) == (trainer, 2, 3)
    page = trainer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Đã nhập" in page and 'http-equiv="refresh"' not in page


def test_contact_consent_needs_the_trainers_confirmation_too(trainer_client, confirm):
    job = preview(trainer_client, xlsx([["Trần Văn Bình", "0912 111 222", 1958, "Nam", "", "Có"]]))
    confirm(job)
    assert list(User.objects.get(phone="+84912111222").consents.values_list("purpose", flat=True)) == ["learning"]


def test_reimporting_the_same_file_changes_nothing(trainer_client, cohort, confirm):
    content = xlsx([["Trần Văn Bình", "0912 111 222", 1958, "Nam", "", "Có"],
                    ["Lê Thị Cúc", "", 1960, "Nữ", "", ""],
                    ["Đinh Văn Đức", "", None, "", "", ""]])
    first = preview(trainer_client, content, cohort=cohort)
    confirm(first)
    counts = (User.objects.count(), Consent.objects.count(), Membership.objects.count())
    again = preview(trainer_client, content, cohort=cohort)
    assert (again.new, again.existing) == (0, 3)
    confirm(again)
    again.refresh_from_db()
    assert (again.status, again.created, again.joined) == ("done", 0, 0)
    assert (User.objects.count(), Consent.objects.count(), Membership.objects.count()) == counts


def test_two_previews_of_one_file_confirmed_both_register_each_person_once(trainer_client, confirm):
    content = xlsx([["Trần Văn Bình", "0912 111 222", 1958, "Nam", "", ""], ["Lê Thị Cúc", "", 1960, "Nữ", "", ""]])
    first, second = preview(trainer_client, content), preview(trainer_client, content)
    assert second.new == 2  # nobody imported yet
    confirm(first)
    confirm(second)
    second.refresh_from_db()
    assert (second.status, second.created) == ("done", 0)
    assert User.objects.filter(created_via="import").count() == 2


def test_people_registered_outside_the_area_are_not_added_to_the_cohort(trainer_client, cohort, confirm):
    job = preview(trainer_client, xlsx([["Phạm Thị Mai", "0912000103", 1975, "Nữ", "", ""]]), cohort=cohort)
    assert statuses(job) == {2: ("existing", "elsewhere")}
    confirm(job)
    assert not cohort.memberships.exists()


def test_confirming_twice_or_running_the_task_again_imports_once(trainer_client, confirm):
    job = preview(trainer_client, xlsx([["Trần Văn Bình", "0912 111 222", 1958, "Nam", "", ""]]))
    confirm(job)
    response = confirm(job, follow=True)
    assert "đã được xác nhận" in response.content.decode()
    assert import_rows.run(job.pk) is False  # a second delivery of the task
    job.refresh_from_db()
    assert (job.done, job.created) == (1, 1)
    assert User.objects.filter(phone="+84912111222").count() == 1


def test_a_large_file_is_imported_in_batches_with_progress(trainer_client, monkeypatch):
    from imports import services

    monkeypatch.setattr(services, "BATCH", 3)
    monkeypatch.setattr("imports.services.BATCH", 3)
    rows = [[f"Người Số {chr(65 + n)}", f"0912 111 2{n:02d}", 1960, "", "", ""] for n in range(7)]
    job = preview(trainer_client, xlsx(rows))
    assert services.confirm_import(job=job) is True
    monkeypatch.setattr(import_rows, "delay", lambda job_id: None)  # look between the batches
    ImportJob.objects.filter(pk=job.pk).update(status="importing")
    assert services.import_next_batch(job_id=job.pk) is True
    job.refresh_from_db()
    assert (job.done, job.to_import) == (3, 7)
    page = trainer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "3 trên 7" in page
    assert services.import_next_batch(job_id=job.pk) is True
    assert services.import_next_batch(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.done, job.created) == ("done", 7, 7)


# ------------------------------------------------------------------------------------------------- bad files

def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


BAD_FILES = {
    "empty": ("danh-sach.csv", b"", "Tệp trống"),
    "only blank lines": ("danh-sach.csv", b"\r\n,,,\r\n", "Tệp trống"),
    "a missing column": ("danh-sach.xlsx", xlsx([["Lan", "", "", ""]], headers=HEADERS[:2] + HEADERS[3:5]),
                         "Tệp thiếu cột “Năm sinh”"),
    "no headers at all": ("danh-sach.csv", csv_bytes([], headers=["a", "b"]), "“Họ và tên”, “Số điện thoại”"),
    "binary garbage": ("danh-sach.csv", bytes(range(256)) * 20, "dữ liệu nhị phân"),
    "another encoding": ("danh-sach.csv", csv_bytes([["Nguyễn Thị Lan", "", "", "", "", ""]], encoding="utf-16"),
                         "dữ liệu nhị phân"),
    "windows-1258": ("danh-sach.csv", unicodedata.normalize(
        "NFD", "Họ và tên,Số điện thoại,Năm sinh,Xã/phường\r\nLê Cúc,,,\r\n").encode("cp1258", errors="replace"),
                     "hãy lưu tệp dưới dạng UTF-8"),
    "not a zip": ("danh-sach.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100, "không phải sổ tính XLSX"),
    "a zip without a workbook": ("danh-sach.xlsx", zip_of({"hello.txt": b"hello"}), "không phải sổ tính XLSX"),
    "a zip bomb": ("danh-sach.xlsx", zip_of({"xl/workbook.xml": b"<x/>",
                                             "xl/worksheets/sheet1.xml": b" " * 60_000_000}), "quá lớn"),
    "a broken workbook": ("danh-sach.xlsx", zip_of({"xl/workbook.xml": b"<not xml"}), "không phải sổ tính XLSX"),
    "an old .xls": ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    "a pdf": ("danh-sach.pdf", b"%PDF-1.4\n", "Chỉ nhập được tệp CSV và XLSX"),
    "an xlsx that is text": ("danh-sach.xlsx", csv_bytes([]), "không phải sổ tính XLSX"),
    "a zip named csv": ("danh-sach.csv", zip_of({"a": b"b"}), "Chỉ nhập được tệp CSV và XLSX"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_a_vietnamese_message_and_nothing_saved(trainer_client, case):
    name, content, message = BAD_FILES[case]
    response = send(trainer_client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not ImportRow.objects.exists()


def test_an_entity_expansion_in_a_workbook_is_refused(trainer_client):
    book = zipfile.ZipFile(io.BytesIO(xlsx([["Lan", "", "", "", "", ""]])))
    entries = {info.filename: book.read(info.filename) for info in book.infolist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    entities = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert ">Lan<" in sheet
    entries["xl/worksheets/sheet1.xml"] = (entities + sheet.replace(">Lan<", ">&b;<")).encode()
    response = send(trainer_client, zip_of(entries))
    assert openpyxl.DEFUSEDXML  # openpyxl parses with defusedxml
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_the_number_of_rows_is_limited(trainer_client, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 5)
    rows = [[f"Người Số {chr(65 + n)}", "", 1960, "", "", ""] for n in range(6)]
    assert preview(trainer_client, xlsx(rows[:5])).total == 5
    response = send(trainer_client, xlsx(rows))
    assert response.status_code == 400 and "nhiều hơn 5 dòng" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_the_size_limit_of_the_file_itself(trainer_client, monkeypatch):
    content = csv_bytes([["Trần Văn Bình", "", 1958, "", "", ""]])
    monkeypatch.setattr(spreadsheet, "MAX_BYTES", len(content))
    assert preview(trainer_client, content, name="a.csv").total == 1
    response = send(trainer_client, content + b"\r\n", name="a.csv")
    assert response.status_code == 400 and "lớn hơn 5 MB" in response.content.decode()


def test_register_residents_refuses_a_minor_and_saves_nobody(people, places):
    from registration.services import NewResident, register_residents

    this_year = __import__("datetime").date.today().year
    adult = NewResident(full_name="Trần Văn Bình", phone=None, year_of_birth=this_year - 16, gender="",
                        commune=places["ha_long"], purposes=["learning"])
    minor = NewResident(full_name="Đỗ Minh Khôi", phone=None, year_of_birth=this_year - 15, gender="",
                        commune=places["ha_long"], purposes=["learning"])
    with pytest.raises(ValueError, match="guardian"):
        register_residents(registered_by=people["trainer"], residents=[adult, minor])
    assert not User.objects.filter(created_via="import").exists()
    [user] = register_residents(registered_by=people["trainer"], residents=[adult])
    assert (user.created_via, user.registered_by, user.full_name) == ("import", people["trainer"], "Trần Văn Bình")


def test_a_file_over_5_mb_is_refused_before_it_is_read(trainer_client):
    big = csv_bytes([]) + b"x" * (spreadsheet.MAX_BYTES + 100 * 1024)
    response = send(trainer_client, big, name="danh-sach.csv")
    assert response.status_code == 400 and "lớn hơn 5 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_is_checked_against_csrf_though_its_size_is_checked_first(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["trainer"])
    response = send(client, xlsx([["Trần Văn Bình", "", 1958, "", "", ""]]))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_consent_confirmation_is_required(trainer_client):
    response = trainer_client.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", xlsx([])), "commune": "06688"})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_a_commune_or_cohort_of_another_area_cannot_be_chosen(trainer_client, places):
    other = Cohort.objects.create(commune=places["bai_chay"], name="Lớp khác")
    assert send(trainer_client, xlsx([]), commune="06673").status_code == 400
    assert send(trainer_client, xlsx([]), cohort=other).status_code == 400
    assert not ImportJob.objects.exists()


# --------------------------------------------------------------------------------------------------- who may

def test_only_trainers_import_and_only_the_uploader_sees_the_job(client, people, places):
    for who in ("lan", "staff"):
        client.force_login(people[who])
        assert client.get(UPLOAD).status_code == 403
        assert client.get(reverse("imports:template")).status_code == 403
    client.force_login(people["trainer"])
    job = preview(client, xlsx([["Trần Văn Bình", "", 1958, "", "", ""]]))
    other = make_user(username="hk", full_name="Lê Văn Tâm")
    other.trainer_communes.add(places["ha_long"])  # even a co-trainer of the commune
    client.force_login(other)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    assert list(visible(ImportJob, people["trainer"])) == [job]
    assert not visible(ImportRow, other).exists()
