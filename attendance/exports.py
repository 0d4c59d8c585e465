"""A cohort's attendance as a spreadsheet: members × sessions, then each member's totals (XLSX and CSV)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Attendance
from .selectors import Grid

LABELS = dict(Attendance.Status.choices)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: str) -> str:
    """A name or topic typed by someone is text, never a formula, when the spreadsheet is opened (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _as_text(sheet, row: int, *columns: int) -> None:
    for column in columns:
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula


def _totals_headers() -> list[str]:
    return [_("Attended"), _("Sessions counted"), _("Excused"), _("Attendance rate (%)"), _("Needs attention")]


def _totals(row) -> list:
    return [row.attended, row.counted, row.excused, row.rate, _("Yes") if row.flagged else ""]


def xlsx(grid: Grid) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Attendance")[:31]
    bold = Font(bold=True)
    headers = [_("Full name"), *[session.date for session in grid.sessions], *_totals_headers()]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in range(2, 2 + len(grid.sessions)):
        sheet.cell(row=1, column=column).number_format = "DD/MM/YYYY"  # the sessions' dates, as dates
    for row in grid.report.rows:
        marks = [str(LABELS[s]) if (s := grid.status(row.learner, session)) else "" for session in grid.sessions]
        sheet.append([row.learner.full_name, *marks, *_totals(row)])
        _as_text(sheet, sheet.max_row, 1)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    for column in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13

    sessions = book.create_sheet(_("Class sessions")[:31])
    sessions.append([_("Date"), _("Time"), _("Topic"), _("Place"), *[str(label) for label in LABELS.values()]])
    for cell in sessions[1]:
        cell.font = bold
    counts = {}
    for (_learner, session_id), status in grid.statuses.items():
        counts[(session_id, status)] = counts.get((session_id, status), 0) + 1
    for session in grid.sessions:
        sessions.append([session.date, session.starts_at, session.topic, session.place,
                         *[counts.get((session.pk, status), 0) for status in LABELS]])
        _as_text(sessions, sessions.max_row, 3, 4)
        sessions.cell(row=sessions.max_row, column=1).number_format = "DD/MM/YYYY"
        sessions.cell(row=sessions.max_row, column=2).number_format = "HH:MM"
    sessions.column_dimensions["A"].width = 12
    sessions.column_dimensions["C"].width = 30
    sessions.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(grid: Grid) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese names as they are; dates as YYYY-MM-DD."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Full name"), *[session.date.isoformat() for session in grid.sessions], *_totals_headers()])
    for row in grid.report.rows:
        marks = [str(LABELS[s]) if (s := grid.status(row.learner, session)) else "" for session in grid.sessions]
        rate = "" if row.rate is None else row.rate
        writer.writerow([_plain(row.learner.full_name), *marks, *_totals(row)[:3], rate, _totals(row)[4]])
    return out.getvalue()
