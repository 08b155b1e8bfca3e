"""The exchange app in rooms of its size: services split by sub-domain, eligibility as
small named rules, no module past the 400-line mark of STYLE.md."""

import inspect
from pathlib import Path

import pytest
from django.utils import timezone

from exchange import services
from exchange.services import eligibility
from tests.factories import ApplicationFactory

EXCHANGE = Path(services.__file__).resolve().parents[1]
# Demo content is data (another part of the house issue); migrations are generated.
NOT_CODE = {"demo_data.py"}


def _modules():
    return sorted(
        path.relative_to(EXCHANGE).as_posix()
        for path in EXCHANGE.rglob("*.py")
        if "migrations" not in path.parts and path.name not in NOT_CODE
    )


@pytest.mark.parametrize("module", _modules())
def test_no_exchange_module_is_past_400_lines(module):
    assert len((EXCHANGE / module).read_text().splitlines()) <= 400


def test_the_services_are_a_package_split_by_sub_domain():
    rooms = {path.stem for path in Path(services.__file__).parent.glob("*.py")}

    assert {"offers", "applications", "eligibility", "decisions", "reports"} <= rooms
    assert services.application_submit.__module__ == "exchange.services.applications"
    assert services.application_decide.__module__ == "exchange.services.decisions"


def test_each_eligibility_rule_is_a_small_named_function():
    names = [rule.__name__ for rule in eligibility.RULES]

    assert len(names) == len(set(names)) >= 12
    assert all(len(inspect.getsourcelines(rule)[0]) <= 25 for rule in eligibility.RULES)
    assert len(inspect.getsourcelines(services.eligibility_problems)[0]) <= 25


@pytest.mark.django_db
def test_a_rule_alone_says_its_problem_or_nothing():
    now = timezone.now()
    fine = ApplicationFactory()
    late = ApplicationFactory(start_date=timezone.localdate(now))

    def check(application):
        return eligibility.Check(application, now, timezone.localdate(now), False)

    assert [rule(check(fine)) for rule in eligibility.RULES] == [None] * len(eligibility.RULES)
    assert eligibility.starts_after_today(check(late)) == ("start_date", services.START_IN_PAST)
    assert eligibility.goes_abroad(check(late)) is None


@pytest.mark.parametrize("module", sorted(p.name for p in (EXCHANGE / "views").glob("*.py")))
def test_the_views_read_through_selectors_not_the_orm(module):
    source = (EXCHANGE / "views" / module).read_text()

    assert ".objects." not in source
    assert "get_object_or_404" not in source


def test_the_forms_hand_the_services_their_arguments():
    from exchange.forms import DecisionForm, WithdrawForm

    form = DecisionForm({"outcome": "approved", "message": "Fine.", "funding_granted": "10"})
    assert form.is_valid()
    kwargs = form.service_kwargs()
    decide = inspect.signature(services.application_decide).parameters
    assert set(kwargs) == {"outcome", "message", "funding_granted"} <= set(decide)
    withdraw = WithdrawForm({"comment": " late "})
    assert withdraw.is_valid()
    assert withdraw.service_kwargs() == {"comment": "late"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "new_dates"),
    [
        ({"host_fields": ["end_date"]}, True),  # as recorded before {field: [old, new]}
        ({"host_fields": ["offer"]}, False),
        ({"end_date": ["2026-05-06", "2026-05-13"]}, True),
        ({"sending_cluster": ["", "Mobility Valley"]}, False),
    ],
)
def test_the_timeline_says_what_a_resubmission_to_the_host_changed(changes, new_dates):
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent
    from exchange.selectors import timeline

    application = ApplicationFactory()
    AuditEvent.objects.create(
        verb="exchange.resubmit_to_host",
        content_type=ContentType.objects.get_for_model(application),
        object_id=str(application.pk),
        object_repr=str(application),
        changes=changes,
    )

    label = str(timeline(application=application, user=application.applicant)[-1]["label"])
    assert ("new dates" in label, "new offer or organisation" in label) == (
        new_dates,
        not new_dates,
    )
