"""The cohort report as a spreadsheet: one row per member × course, Vietnamese headers, numbers and dates typed,
written by cms.spreadsheets (the one writer: no text cell runs as a formula)."""

from datetime import datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms import spreadsheets

XLSX = spreadsheets.XLSX_TYPE
CSV = "text/csv; charset=utf-8"


def columns() -> list[tuple[str, int]]:
    """(header, width in characters), in the order of report_rows' values."""
    return [
        (_("Full name"), 28), (_("Year of birth"), 10), (_("Course"), 32), (_("Status"), 16), (_("Reason"), 44),
        (_("Lessons done"), 10), (_("Lessons in the course"), 10), (_("Final test: best score"), 12),
        (_("Final test: attempts used"), 12), (_("Quizzes passed"), 10), (_("Completed on"), 14),
        (_("Certificate"), 22), (_("Last activity"), 14),
    ]


def _local_date(moment: datetime | None):
    return timezone.localtime(moment).date() if moment else None


def report_rows(report) -> list[list]:
    rows = []
    for learner, overall in report.overview():
        for standing in overall.courses:
            final = standing.final
            rows.append([
                learner.full_name, learner.year_of_birth, standing.course.title, str(standing.status_label),
                "; ".join(str(reason) for reason in standing.reasons), standing.lessons_done,
                standing.lessons_total, final.best_score if final else None, final.used if final else None,
                sum(result.passed for result in standing.quizzes), _local_date(standing.completed_at),
                str(standing.certificate_label), _local_date(standing.last_activity),
            ])
    return rows


def as_xlsx(rows: list[list]) -> bytes:
    return spreadsheets.xlsx_bytes(sheet=_("Progress"), headers=[head for head, __ in columns()], rows=rows)


def as_csv(rows: list[list]) -> bytes:
    # With a byte-order mark Excel opens UTF-8 as UTF-8 (Vietnamese letters intact).
    return ("\ufeff" + spreadsheets.csv_text(headers=[head for head, __ in columns()], rows=rows)).encode("utf-8")


def filename(cohort, kind: str) -> str:
    return f"tien-do-{slugify(cohort.name) or cohort.pk}-{timezone.localdate():%Y%m%d}.{kind}"
