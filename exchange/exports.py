"""CSV export of a call's applications, for the secretariat."""

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "reference",
    "status",
    "applicant",
    "e-mail",
    "organisation",
    "organisation country",
    "applicant kind",
    "sending cluster",
    "host cluster",
    "host country",
    "offer",
    "first day",
    "last day",
    "distance km",
    "funding requested",
    "funding granted",
    "submitted",
]


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def applications_csv(applications) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in applications:
        granted = next(
            (d.funding_granted for d in a.decisions.all() if d.outcome == "approved"), None
        )
        row = [
            a.reference,
            a.get_status_display(),
            a.applicant.display_name,
            a.applicant.email,
            a.organisation.name if a.organisation else "",
            a.organisation.country.code if a.organisation else "",
            a.get_applicant_kind_display(),
            a.sending_cluster.name if a.sending_cluster else "",
            a.host.name,
            a.host.country.code,
            a.offer.topic if a.offer else "",
            a.start_date.isoformat(),
            a.end_date.isoformat(),
            a.distance_km,
            a.funding_requested,
            "" if granted is None else granted,
            a.submitted_at.date().isoformat() if a.submitted_at else "",
        ]
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
