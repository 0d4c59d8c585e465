"""A cohort's attendance as a spreadsheet: members × sessions, then each member's totals (XLSX and CSV), written by
cms.spreadsheets (the one writer: no text cell runs as a formula)."""

from django.utils.translation import gettext as _

from cms import spreadsheets

from .models import Attendance
from .selectors import Grid

LABELS = dict(Attendance.Status.choices)


def _totals_headers() -> list[str]:
    return [_("Attended"), _("Sessions counted"), _("Excused"), _("Attendance rate (%)"), _("Needs attention")]


def _totals(row) -> list:
    return [row.attended, row.counted, row.excused, row.rate, _("Yes") if row.flagged else ""]


def _marks(grid: Grid, row) -> list[str]:
    return [str(LABELS[s]) if (s := grid.status(row.learner, session)) else "" for session in grid.sessions]


def _grid_sheet(grid: Grid, *, dates) -> spreadsheets.Sheet:
    headers = [_("Full name"), *[dates(session.date) for session in grid.sessions], *_totals_headers()]
    rows = [[row.learner.full_name, *_marks(grid, row), *_totals(row)] for row in grid.report.rows]
    return spreadsheets.Sheet(_("Attendance"), headers, rows)


def _sessions_sheet(grid: Grid) -> spreadsheets.Sheet:
    counts = {}
    for (_learner, session_id), status in grid.statuses.items():
        counts[(session_id, status)] = counts.get((session_id, status), 0) + 1
    headers = [_("Date"), _("Time"), _("Topic"), _("Place"), *[str(label) for label in LABELS.values()]]
    rows = [[session.date, session.starts_at, session.topic, session.place,
             *[counts.get((session.pk, status), 0) for status in LABELS]] for session in grid.sessions]
    return spreadsheets.Sheet(_("Class sessions"), headers, rows)


def xlsx(grid: Grid) -> bytes:
    return spreadsheets.workbook_bytes([_grid_sheet(grid, dates=lambda day: day), _sessions_sheet(grid)])


def csv_text(grid: Grid) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese names as they are; dates as YYYY-MM-DD."""
    sheet = _grid_sheet(grid, dates=lambda day: day.isoformat())
    return "\ufeff" + spreadsheets.csv_text(headers=sheet.headers, rows=sheet.rows)
