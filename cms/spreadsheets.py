"""Spreadsheet downloads (XLSX and CSV) for trainers and staff: Vietnamese headers, numbers as numbers, dates as
dates, and no cell that a spreadsheet program would run as a formula."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
TIME_FORMAT = "HH:MM"


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local time, as shown
    return value


@dataclass
class Sheet:
    """One worksheet: its name (cut to Excel's 31 characters), its header row and its rows."""
    title: str
    headers: Sequence
    rows: Iterable[Sequence]


def _format(cell) -> None:
    if isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT if cell.value.time() != datetime.time() else DATE_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, datetime.time):
        cell.number_format = TIME_FORMAT


def _fill(worksheet, sheet: Sheet) -> None:
    worksheet.title = sheet.title[:31]
    worksheet.append([_cell(str(header) if not isinstance(header, datetime.date) else header)
                      for header in sheet.headers])
    for cell in worksheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3261E")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _format(cell)
    widths = [len(str(header)) for header in sheet.headers]
    for row in sheet.rows:
        values = [_cell(value) for value in row]
        worksheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(len(str(value)) if value is not None else 0, 40))
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            _format(cell)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever openpyxl guesses from the text
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width + 2
    worksheet.freeze_panes = "B2"


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX file of one or more sheets; every text cell goes through safe_text (no formula runs)."""
    workbook = Workbook()
    for number, sheet in enumerate(sheets):
        _fill(workbook.active if number == 0 else workbook.create_sheet(), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return workbook_bytes([Sheet(sheet, headers, rows)])


def csv_text(*, headers: Sequence, rows: Iterable[Sequence]) -> str:
    """CSV with dates as YYYY-MM-DD (what any program reads back the same); text cells through safe_text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(header if isinstance(header, datetime.date) else str(header)) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else _csv_value(value) for value in row])
    return buffer.getvalue()


def _csv_value(value):
    value = _cell(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
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
