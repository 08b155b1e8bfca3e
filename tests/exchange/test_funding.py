"""The lump sum a visit receives (exchange.funding), and the words that explain it."""

from datetime import date
from decimal import Decimal

import pytest

from exchange.funding import compute_funding, working_days
from exchange.models import CountryCap
from exchange.services import funding_for
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
THURSDAY = date(2026, 3, 5)
FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)
SUNDAY = date(2026, 3, 8)
NEXT_MONDAY = date(2026, 3, 9)
NEXT_WEDNESDAY = date(2026, 3, 11)
NEXT_FRIDAY = date(2026, 3, 13)

# The factories' call: 100 EUR a working day; travel 50 EUR from 0 km, 180 from 100 km,
# 275 from 500 km, 360 from 2,000 km.
FIVE_DAYS = "5 working days × 100.00 EUR = 500.00 EUR"
FOUR_DAYS = "4 working days × 100.00 EUR = 400.00 EUR"
TEN_DAYS = "10 working days × 100.00 EUR = 1,000.00 EUR"
TRAVEL_800 = "Travel, 800 km (band from 500 km): 275.00 EUR"


def funding(call, *, start=MONDAY, end=FRIDAY, km=800, host="FR"):
    return compute_funding(call=call, host_country=host, start=start, end=end, distance_km=km)


@pytest.fixture
def call():
    return CallFactory()


# --- working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (MONDAY, MONDAY, 1),
        (MONDAY, FRIDAY, 5),
        (MONDAY, SUNDAY, 5),
        (FRIDAY, NEXT_MONDAY, 2),
        (THURSDAY, NEXT_WEDNESDAY, 5),
        (SATURDAY, SUNDAY, 0),
        (SATURDAY, SATURDAY, 0),
        (MONDAY, NEXT_FRIDAY, 10),
        (date(2026, 3, 1), date(2026, 3, 31), 22),
        (FRIDAY, MONDAY, 0),
    ],
)
def test_working_days_count_monday_to_friday_both_ends_included(start, end, days):
    assert working_days(start, end) == days


# --- the lump sum -----------------------------------------------------------------------


def test_allowance_per_working_day_plus_the_travel_band(call):
    result = funding(call)

    assert result.amount == Decimal("775.00")
    assert result.days == 5
    assert result.lines == [FIVE_DAYS, TRAVEL_800, "Lump sum: 775.00 EUR"]
    assert result.explanation == "\n".join(result.lines)


def test_a_weekend_on_site_is_not_paid(call):
    result = funding(call, start=THURSDAY, end=NEXT_WEDNESDAY)

    assert result.days == 5
    assert result.amount == Decimal("775.00")
    assert result.lines[0] == FIVE_DAYS


@pytest.mark.parametrize(
    ("km", "band", "travel"),
    [(200, 100, "180.00"), (499, 100, "180.00"), (500, 500, "275.00"), (2000, 2000, "360.00")],
)
def test_the_travel_band_is_the_highest_one_the_distance_reaches(call, km, band, travel):
    result = funding(call, km=km)

    assert result.amount == Decimal("500.00") + Decimal(travel)
    assert result.lines[1] == f"Travel, {km} km (band from {band} km): {travel} EUR"


def test_the_host_countrys_cap_applies(call):
    CountryCap.objects.create(call=call, country="FR", cap=Decimal("600.00"))

    result = funding(call)

    assert result.amount == Decimal("600.00")
    assert result.lines == [
        FIVE_DAYS,
        TRAVEL_800,
        "Capped for this host country at 600.00 EUR",
        "Lump sum: 600.00 EUR",
    ]


def test_another_countrys_cap_does_not_apply(call):
    CountryCap.objects.create(call=call, country="IT", cap=Decimal("300.00"))

    result = funding(call, host="FR")

    assert result.amount == Decimal("775.00")
    assert not any("Capped" in line for line in result.lines)


def test_a_cap_above_the_sum_changes_nothing(call):
    CountryCap.objects.create(call=call, country="FR", cap=Decimal("900.00"))

    assert funding(call).amount == Decimal("775.00")
    assert len(funding(call).lines) == 3


def test_a_stay_under_five_working_days_is_halved(call):
    result = funding(call, end=THURSDAY)

    assert result.days == 4
    assert result.amount == Decimal("337.50")  # (400 + 275) / 2
    assert result.lines == [
        FOUR_DAYS,
        TRAVEL_800,
        "Halved: shorter than 5 working days",
        "Lump sum: 337.50 EUR",
    ]


def test_hosts_under_200_km_away_are_halved(call):
    result = funding(call, km=199)

    assert result.amount == Decimal("340.00")  # (500 + 180) / 2
    assert result.lines == [
        FIVE_DAYS,
        "Travel, 199 km (band from 100 km): 180.00 EUR",
        "Halved: less than 200 km apart",
        "Lump sum: 340.00 EUR",
    ]


def test_200_km_is_not_halved(call):
    result = funding(call, km=200)

    assert result.amount == Decimal("680.00")
    assert not any("Halved" in line for line in result.lines)


def test_short_and_near_is_halved_once_giving_both_reasons(call):
    result = funding(call, end=THURSDAY, km=150)

    assert result.amount == Decimal("290.00")  # (400 + 180) / 2, not / 4
    assert result.lines == [
        FOUR_DAYS,
        "Travel, 150 km (band from 100 km): 180.00 EUR",
        "Halved: shorter than 5 working days and less than 200 km apart",
        "Lump sum: 290.00 EUR",
    ]


def test_the_country_cap_applies_before_halving(call):
    CountryCap.objects.create(call=call, country="FR", cap=Decimal("600.00"))

    result = funding(call, end=THURSDAY)

    assert result.amount == Decimal("300.00")  # 675 capped at 600, then halved
    assert result.lines[2:] == [
        "Capped for this host country at 600.00 EUR",
        "Halved: shorter than 5 working days",
        "Lump sum: 300.00 EUR",
    ]


def test_the_cap_per_visitor_applies_last():
    call = CallFactory(visitor_cap=Decimal("1100.00"))

    result = funding(call, end=NEXT_FRIDAY, km=2500)

    assert result.days == 10
    assert result.amount == Decimal("1100.00")  # 1,000 + 360 = 1,360
    assert result.lines == [
        TEN_DAYS,
        "Travel, 2500 km (band from 2000 km): 360.00 EUR",
        "Capped per visitor at 1,100.00 EUR",
        "Lump sum: 1,100.00 EUR",
    ]


def test_the_cap_per_visitor_is_not_mentioned_when_not_reached():
    call = CallFactory(visitor_cap=Decimal("1100.00"))

    result = funding(call)

    assert result.amount == Decimal("775.00")
    assert not any("per visitor" in line for line in result.lines)


def test_no_band_covering_the_distance_pays_no_travel():
    call = CallFactory(bands=[(300, "200.00"), (1000, "300.00")])

    result = funding(call, km=250)

    assert result.amount == Decimal("500.00")
    assert result.lines == [
        FIVE_DAYS,
        "Travel: no band covers 250 km, so nothing",
        "Lump sum: 500.00 EUR",
    ]


def test_a_call_without_bands_pays_the_allowance_only():
    call = CallFactory(bands=[])

    result = funding(call, km=800)

    assert result.amount == Decimal("500.00")
    assert result.lines[1] == "Travel: no band covers 800 km, so nothing"


def test_halving_rounds_half_a_cent_up():
    call = CallFactory(daily_allowance=Decimal("100.01"), bands=[(0, "275.01")])

    result = funding(call, end=THURSDAY)

    assert result.amount == Decimal("337.53")  # (400.04 + 275.01) / 2 = 337.525


def test_the_application_stores_the_amount_and_its_explanation(call):
    application = ApplicationFactory(offer__call=call)

    result = funding_for(application)

    assert result.amount == Decimal("775.00")
    assert result.explanation == f"{FIVE_DAYS}\n{TRAVEL_800}\nLump sum: 775.00 EUR"
