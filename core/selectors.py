from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def audit_events_for(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
