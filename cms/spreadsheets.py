"""Spreadsheet downloads (XLSX and CSV) for trainers and staff: Vietnamese headers, numbers as numbers, dates as
dates, and no cell that a spreadsheet program would run as a formula."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
# (OWASP "CSV injection"); such text is written with a leading apostrophe-like quote so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local time, as shown
    return value


def xlsx_bytes(*, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=False)
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    worksheet.append([str(header) for header in headers])
    for cell in worksheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3261E")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(str(header)) for header in headers]
    for row in rows:
        values = [_cell(value) for value in row]
        worksheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(len(str(value)) if value is not None else 0, 40))
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width + 2
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(*, headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else _csv_value(value) for value in row])
    return buffer.getvalue()


def _csv_value(value):
    value = _cell(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def download(*, filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence],
             kind: str) -> HttpResponse:
    """The answer to "download as XLSX/CSV": the file, named, never cached."""
    rows = list(rows)
    if kind == "xlsx":
        response = HttpResponse(xlsx_bytes(sheet=sheet, headers=headers, rows=rows), content_type=XLSX_TYPE)
        name = f"{filename}.xlsx"
    else:
        # With a byte-order mark, Excel opens UTF-8 as UTF-8 (Vietnamese letters intact).
        response = HttpResponse("\ufeff" + csv_text(headers=headers, rows=rows),
                                content_type="text/csv; charset=utf-8")
        name = f"{filename}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
