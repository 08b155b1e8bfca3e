"""An upload racing a submit, on PostgreSQL: the submit holds the practice's row lock; the
upload waits for it, then finds the practice submitted and is refused (nothing kept).

Skipped on SQLite (no row locks); with REQUIRE_SERVICES=1 (CI) a skip is a failure.
"""

import pytest
from django.core.exceptions import ValidationError

from practices.models import Attachment, Practice
from practices.services import NO_LONGER_EDITABLE, attachment_add, practice_submit
from tests.concurrency import held_until_the_other_waits, require_postgresql
from tests.factories import PDF_BYTES

from .samples import upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    require_postgresql()


def test_an_upload_waiting_on_a_submit_is_refused_once_the_submit_commits(manager, draft):
    def submit_holding_the_lock():
        return practice_submit(practice=draft, actor=manager)

    def upload_checked_before_the_submit():
        # ``draft`` is the instance the view checked: still a draft in memory.
        return attachment_add(practice=draft, actor=manager, uploaded=upload("a.pdf", PDF_BYTES))

    results, waited = held_until_the_other_waits(
        submit_holding_the_lock, upload_checked_before_the_submit
    )

    assert waited, "the upload never waited for the submit's lock"
    assert isinstance(results["held"], Practice), results["held"]
    refusal = results["then"]
    assert isinstance(refusal, ValidationError), refusal
    assert refusal.message_dict["file"] == [
        NO_LONGER_EDITABLE % {"status": Practice.Status.SUBMITTED.label}
    ]
    draft.refresh_from_db()
    assert draft.status == Practice.Status.SUBMITTED
    assert not Attachment.objects.filter(practice=draft).exists()
