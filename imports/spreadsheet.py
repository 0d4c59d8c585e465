"""Reading an uploaded spreadsheet (CSV in UTF-8 or XLSX) into rows of text, refusing whatever is not one.

An upload is hostile until it is read: its size, its kind (by its first bytes, not its name), the size of the
zip an XLSX is, and the number of rows are checked before and while it is read; cells are only ever text.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _

from places.text import clean_text, search_key

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 20
MAX_CELL = 200  # characters kept of a cell: no column of ours needs more
# An XLSX is a zip of XML files; a small file that unpacks to hundreds of megabytes is a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200

# The columns, as the template names them (Vietnamese: a file format, read whatever the page's language).
HEADERS = {
    "full_name": "Họ và tên",
    "phone": "Số điện thoại",
    "year_of_birth": "Năm sinh",
    "gender": "Giới tính",
    "commune": "Xã/phường (mã hoặc tên)",
    "contact": "Đồng ý nhận tin nhắn về lớp học? (Có/Không)",
}
REQUIRED = ("full_name", "phone", "year_of_birth", "commune")
EXAMPLE = ["Trần Thị Thu", "0912 345 678", 1958, "Nữ", "Phường Hạ Long", "Có"]
# Other ways people title the same columns (compared without diacritics, case or punctuation).
ALIASES = {
    "full_name": ("ho va ten", "ho ten", "ten", "full name", "name"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone", "phone number"),
    "year_of_birth": ("nam sinh", "year of birth", "year"),
    "gender": ("gioi tinh", "gender"),
    "commune": ("xa phuong ma hoac ten", "xa phuong", "ma xa", "xa", "phuong", "commune"),
    "contact": ("dong y nhan tin nhan ve lop hoc co khong", "dong y nhan tin nhan ve lop hoc", "nhan tin nhan",
                "sms about classes", "sms"),
}


class BadFile(ValueError):
    """The upload is not a spreadsheet we can read; the message says why, in the user's words."""


def header_key(text) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in search_key(str(text or ""))).split())


_COLUMN_OF = {alias: column for column, aliases in ALIASES.items() for alias in aliases}


def read_rows(upload) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, {column: text}) for each non-empty row after the headers.

    Raises BadFile before the first row for a file of the wrong kind or headers, and while reading for too
    many rows, so a caller writes its rows in a transaction it can roll back."""
    if upload.size == 0:
        raise BadFile(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise BadFile(_("The file is larger than 5 MB. Split it into several files."))
    name = (upload.name or "").lower()
    head = upload.read(8)
    upload.seek(0)
    if name.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadFile(_("This is an old Excel file (.xls). Save it as .xlsx (Excel workbook) or CSV UTF-8."))
    if head.startswith(b"PK\x03\x04"):
        if not name.endswith(".xlsx"):
            raise BadFile(_("Only CSV and XLSX files can be imported."))
        cells = _xlsx_cells(upload)
    elif name.endswith(".csv") or name.endswith(".txt"):
        cells = _csv_cells(upload)
    elif name.endswith(".xlsx"):
        raise BadFile(_("This file is not a real XLSX workbook. Open it in Excel and save it again as .xlsx."))
    else:
        raise BadFile(_("Only CSV and XLSX files can be imported."))
    return _rows(cells)


def _rows(cells: Iterator[list]) -> Iterator[tuple[int, dict[str, str]]]:
    headers = None
    kept = 0
    for number, values in enumerate(cells, start=1):
        # Blank rows count too: a sheet can declare a million of them around a few cells.
        if number > 2 * MAX_ROWS:
            raise _too_many()
        texts = [as_text(value) for value in values[:MAX_COLUMNS]]
        if not any(texts):
            continue
        if headers is None:
            headers = _columns(texts)
            continue
        kept += 1
        if kept > MAX_ROWS:
            raise _too_many()
        yield number, {column: texts[index] if index < len(texts) else "" for index, column in headers.items()}
    if headers is None:
        raise BadFile(_("The file is empty."))


def _too_many() -> BadFile:
    return BadFile(_("The file has more than %(count)s rows. Split it into several files.")
                   % {"count": f"{MAX_ROWS:,}".replace(",", ".")})


def _columns(texts: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, text in enumerate(texts):
        column = _COLUMN_OF.get(header_key(text))
        if column and column not in found.values():
            found[index] = column
    missing = [HEADERS[column] for column in REQUIRED if column not in found.values()]
    if missing:
        raise BadFile(_("The file has no column “%(columns)s”. Use the headers of the template.")
                      % {"columns": "”, “".join(missing)})
    return found


def as_text(value) -> str:
    """A cell as the text a person typed: numbers without “.0”, a phone number's lost leading 0 restored."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel drops the leading 0 of a phone number typed as a number: 912345678 was 0912345678.
        return "0" + text if len(text) == 9 and text[0] in "35789" else text
    if isinstance(value, datetime | date):
        return str(value.year)
    return clean_text(str(value)[:MAX_CELL * 2])[:MAX_CELL]


def _csv_cells(upload) -> Iterator[list]:
    raw = upload.read(MAX_BYTES + 1)
    if b"\x00" in raw:
        raise BadFile(_("This file is not a spreadsheet (it contains binary data). Upload a CSV or XLSX file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(_("The file is not in UTF-8: save it as “CSV UTF-8” (hãy lưu tệp dưới dạng UTF-8).")) from None
    first_line = text[:2000].split("\n", 1)[0]
    # Excel set to Vietnamese writes semicolons between cells.
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise BadFile(_("This CSV file could not be read. Save it again from Excel as “CSV UTF-8”.")) from None


def _xlsx_cells(upload) -> Iterator[list]:
    import openpyxl

    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadFile(_("This file is not a real XLSX workbook. Open it in Excel and save it again as .xlsx.")) \
            from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise BadFile(_("This workbook is too large to read. Keep only the list of people in it."))
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise BadFile(_("This file is not a real XLSX workbook. Open it in Excel and save it again as .xlsx."))
    upload.seek(0)
    try:
        # read_only streams the sheet; formulas stay as their text ("=…"), never evaluated; openpyxl parses with
        # defusedxml when it is installed (openpyxl.DEFUSEDXML), so entity tricks are refused.
        book = openpyxl.load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors, ValueError) for a broken workbook
        raise BadFile(_("This file is not a real XLSX workbook. Open it in Excel and save it again as .xlsx.")) \
            from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise BadFile(_("The file is empty."))
        try:
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield list(values)
        except BadFile:
            raise
        except Exception:
            raise BadFile(_("This workbook could not be read to the end. Open it in Excel and save it again.")) \
                from None
    finally:
        book.close()


def template_xlsx() -> bytes:
    """The workbook trainers fill in: the headers and one example row (CSV UTF-8 with these headers works too)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Học viên"
    sheet.append(list(HEADERS.values()))
    sheet.append(EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["B2"].number_format = "@"  # a phone number stays text, with its leading 0
    for column, width in zip("ABCDEF", (28, 18, 10, 10, 28, 22), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
