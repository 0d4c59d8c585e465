"""Writes of the progress app: exporting a cohort's report, recorded in the audit log."""

from dataclasses import dataclass

from audit.services import record

from . import exports


@dataclass
class Export:
    body: bytes
    content_type: str
    filename: str


def export_report(*, report, kind: str, actor) -> Export:
    """The report as a spreadsheet ("xlsx" or "csv"), one row per member × course; the export is audited."""
    rows = exports.report_rows(report)
    if kind == "xlsx":
        export = Export(exports.as_xlsx(rows), exports.XLSX, exports.filename(report.cohort, kind))
    else:
        export = Export(exports.as_csv(rows), exports.CSV, exports.filename(report.cohort, "csv"))
    cohort = report.cohort
    record(actor=actor, action="cohort.export", subject=f"cohort {cohort.pk}", commune=cohort.commune,
           cohort=cohort.pk, format=kind, rows=len(rows))
    return export
