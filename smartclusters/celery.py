"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). Without ``REDIS_URL``
(the zero-service ``make run``), tasks run in-process (eager) so the demo works
with no broker; with it, a worker and beat run as separate processes::

    celery -A smartclusters worker -l info
    celery -A smartclusters beat -l info
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartclusters.settings.local")

app = Celery("smartclusters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are defined here, in code, so every deployment runs the same schedule.
app.conf.beat_schedule = {
    # The outbox sweep: e-mails still pending (broker was down, worker lost) go out again.
    "notifications-requeue-stale": {
        "task": "notifications.tasks.requeue_stale_notifications",
        "schedule": 60.0,
    },
    # Every hour: the digests of the people whose chosen hour it is (default
    # NOTIFICATIONS_DIGEST_HOUR), so each person gets one a day, at their hour.
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(minute=0),
    },
    # Reminders: one entry each; the task's dedupe keys make a second run a no-op.
    "reminder-joinrequest-waiting": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=8, minute=15),
        "args": ("clusters.joinrequest_waiting",),
    },
    "reminder-actions-due-soon": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=7, minute=30),
        "args": ("actionplan.due_soon",),
    },
    "reminder-actions-overdue": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=7, minute=35),
        "args": ("actionplan.overdue",),
    },
    "reminder-actions-update-request": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=7, minute=40, day_of_month=1),
        "args": ("actionplan.update_request",),
    },
    "reminder-practices-waiting": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=8, minute=20),
        "args": ("practices.waiting",),
    },
    "exchange-open-visit-reports": {
        "task": "exchange.tasks.open_visit_reports",
        "schedule": crontab(hour=6, minute=0),
    },
    "reminder-exchange-review-waiting": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=8, minute=25),
        "args": ("exchange.review_waiting",),
    },
    "reminder-exchange-report-due": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=8, minute=30),
        "args": ("exchange.report_due",),
    },
    "reminder-exchange-call-closing": {
        "task": "notifications.tasks.run_reminder",
        "schedule": crontab(hour=8, minute=35),
        "args": ("exchange.call_closing",),
    },
}
