"""seed_scale --offers: the benchmark's exchange data."""

from io import StringIO

import pytest
from django.core.management import call_command

from exchange.models import Application, Call, Offer

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def test_offers_come_with_one_open_call_and_a_submitted_application_each():
    output = seed("--clusters", "12", "--offers", "30", "--seed", "4")
    assert "30 exchange offers" in output
    call = Call.objects.get()
    assert call.is_open
    assert Offer.objects.filter(call=call).count() == 30
    assert Offer.objects.filter(ecosystems__isnull=True).count() == 0
    applications = Application.objects.select_related("call", "host", "offer", "organisation")
    assert applications.count() == 30
    assert {a.status for a in applications} == {"submitted"}
    for application in applications:
        assert application.start_date.weekday() == 0  # a Monday: five working days on site
        assert application.end_date >= application.start_date
        offer = application.offer
        assert offer.available_from <= application.start_date <= offer.available_until
        assert application.host_id == offer.host_id


def test_offers_are_added_once():
    seed("--clusters", "5", "--offers", "8")
    seed("--clusters", "5", "--offers", "8")
    assert Offer.objects.count() == 8
    assert Application.objects.count() == 8


def test_negative_offers_are_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--offers"):
        seed("--clusters", "1", "--offers", "-1")


def test_without_offers_no_call_is_created():
    seed("--clusters", "3")
    assert not Call.objects.exists()
    assert not Offer.objects.exists()
