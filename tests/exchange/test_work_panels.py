"""The exchange's queues on "Your work": the secretariat's decisions, a host team's reviews,
a member's applications (with what each waits for) and reports due."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.models import Application
from exchange.models.applications import REPORT_DUE_DAYS
from tests.factories import ApplicationFactory, ClusterFactory, MembershipFactory, OfferFactory
from tests.work import block, count_of, item_links, notes, work_page

from .steps import decide, host_member, review, submit, submitted

pytestmark = pytest.mark.django_db

S = Application.Status


def waiting_since(application, days):
    """Say the application was submitted ``days`` ago."""
    when = timezone.now() - timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(submitted_at=when)
    return application


def accepted(days=1):
    application = submitted()
    return waiting_since(review(application, host_member(application)), days)


# --- the secretariat's decisions --------------------------------------------------------


def test_the_secretariat_sees_the_decisions_to_take_oldest_first(client, secretariat):
    newer, oldest, middle = accepted(2), accepted(9), accepted(5)
    declined = submitted()
    review(declined, host_member(declined), recommendation="decline")
    waiting_since(declined, 3)
    decide(accepted(), secretariat)  # decided: no longer waiting

    section = block(work_page(client, secretariat), "exchange-decisions")

    assert count_of(section) == 4
    assert item_links(section) == [a.get_absolute_url() for a in (oldest, middle, declined, newer)]
    assert f'href="{reverse("exchange:decisions")}"' in section
    assert any(note.endswith("close it") for note in notes(unescape(section)))


def test_only_the_secretariat_has_the_decisions_queue(client, member, manager):
    accepted()

    assert block(work_page(client, member), "exchange-decisions") is None
    assert block(work_page(client, manager), "exchange-decisions") is None


def test_an_empty_decisions_queue_is_still_shown_and_says_so(client, secretariat):
    section = block(work_page(client, secretariat), "exchange-decisions")

    assert count_of(section) == 0
    assert "No application waits for a decision." in section


def test_a_long_queue_shows_the_oldest_five_and_links_to_all(client, secretariat):
    apps = [accepted(days) for days in range(7, 0, -1)]

    section = block(work_page(client, secretariat), "exchange-decisions")

    assert count_of(section) == 7
    assert item_links(section) == [a.get_absolute_url() for a in apps[:5]]
    assert "See all 7" in section


# --- a host team's reviews --------------------------------------------------------------


def test_a_host_team_sees_the_applications_waiting_for_its_review(client):
    host = ClusterFactory(country="FR")
    manager = MembershipFactory(cluster=host).user
    staff = MembershipFactory(cluster=host, role="staff").user
    recent = waiting_since(submitted(offer=OfferFactory(host=host)), 1)
    old = waiting_since(submitted(offer=OfferFactory(host=host)), 6)
    reviewed = submitted(offer=OfferFactory(host=host))
    review(reviewed, manager)
    submitted()  # to another host
    ApplicationFactory(offer=OfferFactory(host=host))  # a draft: not sent yet

    for person in (manager, staff):
        section = block(work_page(client, person), "exchange-reviews")
        assert count_of(section) == 2
        assert item_links(section) == [old.get_absolute_url(), recent.get_absolute_url()]
        assert f'href="{reverse("exchange:review")}?waiting=1"' in section


def test_see_all_opens_exactly_the_applications_the_block_counts(client):
    host = ClusterFactory(country="FR")
    manager = MembershipFactory(cluster=host).user
    waiting = [waiting_since(submitted(offer=OfferFactory(host=host)), d) for d in range(7, 0, -1)]
    for _ in range(3):  # reviewed: on the review page, no longer waiting for review
        review(submitted(offer=OfferFactory(host=host)), manager)
    own = submitted(offer=OfferFactory(host=host))
    MembershipFactory(cluster=host, user=own.applicant, role="staff")

    for person in (manager, own.applicant):
        section = block(work_page(client, person), "exchange-reviews")
        more = re.search(r'<p class="work-more">\s*<a href="([^"]+)">([^<]*)<', section)
        page = client.get(unescape(more.group(1))).content.decode()
        rows = re.findall(r'<a class="exchange-ref" href="([^"]+)"', page)

        assert count_of(section) == len(rows)
        assert f"See all {count_of(section)}" in more.group(2)
        assert f"Waiting for your review ({len(rows)})" in page
    assert rows == [a.get_absolute_url() for a in waiting]  # the applicant's own: not theirs
    assert len(rows) == 7

    # The whole list is one link away and still holds every application to the cluster.
    page = client.get(reverse("exchange:review")).content.decode()
    assert len(re.findall(r'class="exchange-ref"', page)) == 10
    assert f'href="{reverse("exchange:review")}?waiting=1"' in page


def test_a_team_member_never_reviews_their_own_application(client):
    host = ClusterFactory(country="FR")
    colleague = MembershipFactory(cluster=host, role="staff").user
    own = ApplicationFactory(offer=OfferFactory(host=host))
    MembershipFactory(cluster=host, user=own.applicant, role="staff")
    Application.objects.filter(pk=own.pk).update(status=S.SUBMITTED, submitted_at=timezone.now())

    assert count_of(block(work_page(client, own.applicant), "exchange-reviews")) == 0
    assert count_of(block(work_page(client, colleague), "exchange-reviews")) == 1


def test_someone_in_no_team_has_no_review_queue(client, member):
    submitted()

    assert block(work_page(client, member), "exchange-reviews") is None


# --- a member's applications and reports ------------------------------------------------


def test_a_member_sees_what_each_application_waits_for(client, secretariat):
    draft = ApplicationFactory()
    applicant = draft.applicant
    at_host = submitted(applicant=applicant)
    at_secretariat = accepted()
    Application.objects.filter(pk=at_secretariat.pk).update(applicant=applicant)
    asked = accepted()
    decide(asked, secretariat, outcome="more_info", message="Which dates?")
    Application.objects.filter(pk=asked.pk).update(applicant=applicant)
    rejected = accepted()
    decide(rejected, secretariat, outcome="rejected", message="No places.")
    Application.objects.filter(pk=rejected.pk).update(applicant=applicant)

    section = unescape(block(work_page(client, applicant), "exchange-applications"))

    assert count_of(section) == 4  # the rejected one is over
    links = item_links(section)
    assert rejected.get_absolute_url() not in links
    said = dict(zip(links, notes(section), strict=True))
    closes = timezone.localtime(draft.call.closes_at).strftime("%-d %b %Y")
    assert said[draft.get_absolute_url()] == f"waits for you to submit it, before {closes}"
    assert said[at_host.get_absolute_url()] == "waits for the host"
    assert said[at_secretariat.get_absolute_url()] == "waits for the secretariat"
    assert said[asked.get_absolute_url()] == "waits for you: send the information asked for"
    assert f'href="{reverse("exchange:applications")}"' in section


def test_someone_who_never_applied_has_no_applications_block(client, member):
    page = work_page(client, member)

    assert block(page, "exchange-applications") is None
    assert block(page, "exchange-reports") is None


def report_due(ended_days_ago):
    """An approved visit that ended ``ended_days_ago``, its report opened."""
    application = ApplicationFactory()
    end = timezone.localdate() - timedelta(days=ended_days_ago)
    Application.objects.filter(pk=application.pk).update(
        status=S.REPORT_DUE,
        start_date=end - timedelta(days=4),
        end_date=end,
        submitted_at=timezone.now() - timedelta(days=60),
        report_due_at=timezone.now() - timedelta(days=ended_days_ago - 1),
    )
    application.refresh_from_db()
    return application


def test_a_member_sees_the_reports_due_with_the_day_each_is_late(client):
    late = report_due(REPORT_DUE_DAYS + 5)
    fresh = report_due(2)
    Application.objects.filter(pk=fresh.pk).update(applicant=late.applicant)
    fresh.refresh_from_db()

    section = block(work_page(client, late.applicant), "exchange-reports")

    assert count_of(section) == 2
    assert item_links(section) == [
        reverse("exchange:application_report", args=[late.pk]),
        reverse("exchange:application_report", args=[fresh.pk]),
    ]
    due_by = fresh.report_due_on  # the due date the application page shows too
    assert due_by == fresh.end_date + timedelta(days=REPORT_DUE_DAYS)
    assert f"report due by {due_by.strftime('%-d %b %Y')}" in notes(section)
    assert section.count('class="work-overdue"') == 1


def test_the_report_leaves_the_queue_once_written(client):
    application = report_due(3)
    from exchange.services import report_submit

    report_submit(
        application=application,
        actor=application.applicant,
        data={
            "what_happened": "We visited.",
            "results": "A pilot.",
            "contacts": "Two SMEs.",
            "follow_up": "A call in spring.",
            "satisfaction": 5,
        },
    )

    section = block(work_page(client, application.applicant), "exchange-reports")
    assert count_of(section) == 0
    assert "No report is due." in section


def test_submitting_moves_the_application_on_in_the_block(client):
    draft = ApplicationFactory()
    before = notes(block(work_page(client, draft.applicant), "exchange-applications"))

    submit(draft)

    after = notes(block(work_page(client, draft.applicant), "exchange-applications"))
    assert before[0].startswith("waits for you to submit it")
    assert after == ["waits for the host"]
