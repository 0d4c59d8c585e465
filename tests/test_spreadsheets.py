"""Spreadsheet downloads: numbers stay numbers, dates stay dates, text never runs as a formula."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from cms.spreadsheets import download

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1"]


def rows():
    yield ["Nguyễn Thị Lan", 1962, 87.5, datetime.date(2026, 11, 3)]
    for text in HOSTILE:
        yield [text, None, 0, None]


def test_xlsx_keeps_types_and_turns_formulas_into_text():
    response = download(filename="lop", sheet="Tiến độ", headers=["Họ và tên", "Năm sinh", "Điểm", "Ngày"],
                        rows=rows(), kind="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="lop.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["Họ và tên", "Năm sinh", "Điểm", "Ngày"]
    name, year, score, day = (cell.value for cell in sheet[2])
    assert (name, year, score) == ("Nguyễn Thị Lan", 1962, 87.5)
    assert day == datetime.datetime(2026, 11, 3) and sheet["D2"].number_format == "DD/MM/YYYY"
    for row, text in enumerate(HOSTILE, start=3):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == "'" + text


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_opens_in_excel_as_utf8_and_never_starts_a_cell_with_a_formula(text):
    response = download(filename="lop", sheet="x", headers=["Họ và tên"], rows=[[text]], kind="csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffHọ và tên")
    (cell,) = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1]
    assert cell == "'" + text
