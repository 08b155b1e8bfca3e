"""CSV export of a call's applications, for the secretariat."""

from core.csv import write_csv

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


def _row(a) -> list:
    granted = next((d.funding_granted for d in a.decisions.all() if d.outcome == "approved"), None)
    return [
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
        a.start_date,
        a.end_date,
        a.distance_km,
        a.funding_requested,
        granted,
        a.submitted_at.date() if a.submitted_at else "",
    ]


def applications_csv(applications) -> str:
    return write_csv(CSV_COLUMNS, (_row(a) for a in applications))
