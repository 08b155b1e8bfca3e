import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_shows_the_network_counts(client, cluster):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Mobility Valley" in response.content
