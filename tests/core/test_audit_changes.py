"""One shape for an audit record's ``changes`` in every app: {field: [old, new]}."""

import pytest

from core.models import AuditEvent
from core.services import assign, change, record
from practices.models import Practice
from tests.factories import PracticeFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes", [{"fields": ["title"]}, {"host_fields": ["end_date", "offer", "x"]}, {"n": 3}]
)
def test_record_refuses_changes_of_another_shape(changes):
    practice = PracticeFactory()

    with pytest.raises(ValueError, match=r"\{field: \[old, new\]\}"):
        record(actor=StaffFactory(), verb="practice.update", target=practice, changes=changes)

    assert not AuditEvent.objects.exists()


def test_assign_sets_what_differs_and_says_from_what_to_what():
    practice = PracticeFactory(title="Old title", start_year=2020)

    changes = assign(
        practice,
        {"title": "New title", "start_year": 2020, "slug": "not-editable"},
        fields=("title", "start_year"),
    )

    assert changes == {"title": ["Old title", "New title"]}
    assert (practice.title, practice.slug) == ("New title", Practice.objects.get().slug)


def test_a_value_is_kept_as_text():
    assert change(None, 3) == ["", "3"]
