"""Celery entry points for clusters. Each takes ids and plain values and calls a service."""

import smtplib

from celery import shared_task

from .services.invitations import team_invitation_email


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    ignore_result=True,
)
def send_team_invitation(invitation_id: int, link: str) -> bool:
    """E-mail an invitation to a cluster's team (a no-op once it is revoked or expired).
    The link, which holds the token, travels only in this message: the row keeps its hash."""
    return team_invitation_email(invitation_id=invitation_id, link=link)
