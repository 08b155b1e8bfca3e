"""The moderation record of a practice (the versions submitted, who moderated it and the
reviewers' comments) is internal: the cluster's team and the secretariat see it, the
public does not, even once the practice is published."""

import pytest

from practices.services import practice_publish, practice_request_changes, practice_submit

from .conftest import INSIDERS, OUTSIDERS

pytestmark = pytest.mark.django_db

ASKED = "Please add the resources needed for the pilot."
PUBLISHED = "Clear and complete: thank you."


@pytest.fixture
def moderated(make_practice, manager, secretariat):
    """Sent back once with a comment, resubmitted, then published with a comment."""
    practice = make_practice("submitted", title="Shared e-bikes", slug="shared-e-bikes")
    practice = practice_request_changes(practice=practice, actor=secretariat, comment=ASKED)
    practice = practice_submit(practice=practice, actor=manager)
    return practice_publish(practice=practice, actor=secretariat, comment=PUBLISHED)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_public_sees_no_moderation_history_nor_comments(role, client_as, moderated):
    page = client_as(role).get(moderated.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert moderated.title in html
    assert ASKED not in html
    assert PUBLISHED not in html
    assert "Changes requested" not in html
    assert "What happened" not in html
    assert "Versions submitted" not in html


@pytest.mark.parametrize("role", INSIDERS)
def test_the_team_and_the_secretariat_see_the_history_and_comments(role, client_as, moderated):
    page = client_as(role).get(moderated.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert ASKED in html
    assert PUBLISHED in html
    assert "What happened" in html
    assert "Versions submitted" in html
