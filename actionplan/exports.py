"""CSV and iCalendar renderings of the plan."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from core.csv import write_csv

CSV_COLUMNS = [
    "id",
    "objective",
    "theme",
    "title",
    "lead cluster",
    "partners",
    "owner",
    "start",
    "due",
    "status",
    "progress",
    "due state",
    "budget",
    "currency",
    "funding source",
    "parent id",
]


def actions_csv(actions) -> str:
    return write_csv(
        CSV_COLUMNS,
        (
            [
                a.pk,
                a.objective.title,
                a.objective.get_theme_display(),
                a.title,
                a.lead_cluster.name,
                "; ".join(p.name for p in a.partners.all()),
                a.owner.display_name if a.owner else "",
                a.start_date,
                a.due_date,
                a.get_status_display(),
                a.progress,
                a.due_state(),
                a.budget_amount,
                a.budget_currency,
                a.funding_source,
                a.parent_id,
            ]
            for a in actions
        ),
    )


def actions_calendar(actions, *, name: str) -> bytes:
    """Due dates and milestones as all-day events a calendar app can subscribe to."""
    calendar = Calendar()
    calendar.add("prodid", "-//Smart Clusters//Plan of Actions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    base = settings.SITE_URL.rstrip("/")
    for action in actions:
        event = Event()
        event.add("uid", f"action-{action.pk}-due@smartclusters")
        event.add("summary", f"Due: {action.title}")
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("url", base + action.get_absolute_url())
        event.add("description", f"{action.get_status_display()}, {action.progress}% done.")
        calendar.add_component(event)
        for milestone in action.milestones.all():
            m = Event()
            m.add("uid", f"milestone-{milestone.pk}@smartclusters")
            m.add("summary", f"{'✓ ' if milestone.done else ''}{milestone.title} ({action.title})")
            m.add("dtstart", milestone.date)
            m.add("dtend", milestone.date + timedelta(days=1))
            m.add("dtstamp", stamp)
            m.add("url", base + action.get_absolute_url())
            calendar.add_component(m)
    return calendar.to_ical()
