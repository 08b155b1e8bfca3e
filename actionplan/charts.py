"""Small charts drawn on the server as SVG data (the template draws the shapes)."""

from collections.abc import Mapping
from datetime import date

from django.utils.functional import Promise

STATUS_COLOURS = {
    "planned": "#7c8897",
    "in_progress": "#1a5fb4",
    "completed": "#1e6b34",
    "delayed": "#b3261e",
    "cancelled": "#4f5b6b",
}


def bars(rows: list[tuple[str, int]], *, width: int = 560, bar: int = 22, gap: int = 12):
    """Horizontal bars for percentages: [(label, percent)] → drawable rows."""
    label_w = 0  # labels sit above each bar so long names never overflow
    out = []
    for i, (label, percent) in enumerate(rows):
        y = i * (bar + gap + 18)
        out.append(
            {
                "label": label,
                "percent": percent,
                "y_label": y + 13,
                "y": y + 18,
                "w": round((width - label_w) * max(0, min(100, percent)) / 100),
                "h": bar,
            }
        )
    return {"rows": out, "width": width, "height": len(rows) * (bar + gap + 18) or 1}


def status_bar(counts: Mapping[str, int], labels: Mapping[str, str | Promise], *, width: int = 560):
    """One stacked bar of actions by status, with a legend."""
    total = sum(counts.values()) or 1
    x = 0
    parts = []
    for status, colour in STATUS_COLOURS.items():
        n = counts.get(status, 0)
        w = round(width * n / total)
        parts.append(
            {"status": status, "label": labels[status], "n": n, "x": x, "w": w, "colour": colour}
        )
        x += w
    return {"parts": parts, "width": width}


PAD = 24  # room for the first and last year labels


def timeline(items: list[tuple[str, date, str]], *, start: date, end: date, width: int = 560):
    """Due dates on a line between ``start`` and ``end``: [(title, date, due_state)]."""
    span = max((end - start).days, 1)
    points = []
    for title, when, state in items:
        x = round(max(0, min(span, (when - start).days)) / span * (width - 2 * PAD)) + PAD
        points.append({"title": title, "date": when, "x": x, "state": state})
    years = []
    for year in range(start.year, end.year + 1):
        d = date(year, 1, 1)
        if start <= d <= end:
            years.append(
                {"year": year, "x": round((d - start).days / span * (width - 2 * PAD)) + PAD}
            )
    return {"points": points, "years": years, "width": width, "pad": PAD, "end_x": width - PAD}
