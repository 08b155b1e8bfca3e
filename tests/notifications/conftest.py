from datetime import datetime, time

import pytest
from django.utils import timezone


@pytest.fixture
def frozen_at(monkeypatch):
    """Freeze the clock at an hour of today, site time: ``frozen_at(9)``. Everything that
    asks ``django.utils.timezone.now`` (the services, the tasks) sees that moment."""

    def freeze(hour: int, minute: int = 0) -> datetime:
        moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
