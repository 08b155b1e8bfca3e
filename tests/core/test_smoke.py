import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_shows_the_network_counts(client, cluster):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content


@pytest.mark.django_db
def test_home_page_shows_the_plans_progress_only_once_adopted(client, world):
    strategy = world.plan["strategy"]
    response = client.get(reverse("home"))
    assert "Our Plan of Actions" in response.content.decode()
    assert "30% done" in response.content.decode()  # the one action of the world plan

    strategy.status = "draft"
    strategy.save()
    assert "Our Plan of Actions" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_home_page_query_count_is_small_and_fixed(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_home_page_lists_open_and_upcoming_calls_not_closed_ones(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import CallFactory

    now = timezone.now()
    CallFactory(title="Open round")
    CallFactory(
        title="Next round",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
    )
    CallFactory(
        title="Last year's round",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
    )
    html = client.get(reverse("home")).content.decode()
    assert "Open round" in html
    assert "Next round" in html
    assert "Opens " in html  # the upcoming call says when it opens
    assert "Last year" not in html
