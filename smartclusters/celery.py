"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). Without ``REDIS_URL``
(the zero-service ``make run``), tasks run in-process (eager) so the demo works
with no broker; with it, a worker and beat run as separate processes::

    celery -A smartclusters worker -l info
    celery -A smartclusters beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartclusters.settings.local")

app = Celery("smartclusters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are defined here, in code, so every deployment runs the same schedule.
# Apps add their entries as they arrive (notifications, reminders).
app.conf.beat_schedule = {}
