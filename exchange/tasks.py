from celery import shared_task

from .services import applications_open_reports


@shared_task(ignore_result=True)
def open_visit_reports() -> int:
    """Approved visits that ended yesterday or before now wait for their report."""
    return applications_open_reports()
