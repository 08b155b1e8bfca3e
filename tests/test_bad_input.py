"""The bad-input sweep: every form in the matrix, every field, as a role that may submit it.

(1) markup comes back escaped wherever it is shown; (2) 20,000 characters get a
clear field error or are stored whole, never a 500; (3) letters in number and
date fields, unknown choices and missing required fields get an error next to
the field, and no row is created or changed.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse

from tests.matrix import MARKUP, RAW_MARKUP_SIGNS, find_form, snapshot, snapshot_diff
from tests.routes import MATRIX

FORM_ROUTES = [route for route in MATRIX if route.form]
TEXT_FORM_ROUTES = [route for route in FORM_ROUTES if route.form.has_text]
LONG = "x" * 20_000


class Sweep:
    def __init__(self, client, world, route):
        self.client = client
        self.world = world
        self.route = route
        spec = route.form
        user = world.users[spec.role]
        if user is not None:
            client.force_login(user)
        kwargs = route.kwargs(world)
        self.action = route.url(world)
        self.page_url = reverse(spec.page, kwargs=kwargs) if spec.page else self.action
        page = client.get(self.page_url)
        assert page.status_code == 200, f"{self.page_url}: {page.status_code}"
        self.form = find_form(page.content.decode(), self.page_url, self.action)
        unknown = set(self.valid) - set(self.form.fields)
        assert not unknown, f"the row's valid data names fields the form lacks: {unknown}"

    @property
    def valid(self) -> dict:
        """Fresh valid data for each submission (a row may make unique values)."""
        return self.route.form.data(self.world)

    def submit(self, data):
        if self.route.form.method == "get":
            return self.client.get(self.action, data)
        return self.client.post(self.action, data)

    def field_error_shown(self, response, name) -> bool:
        return f'id="id_{name}_error"' in response.content.decode()

    def expect_rejected(self, data, name, what):
        before = snapshot()
        response = self.submit(data)
        label = f"{self.action} {name} ({what})"
        assert response.status_code != 500, label
        expected = 200 if self.route.form.method == "get" else self.route.form.invalid_status
        assert response.status_code == expected, f"{label}: {response.status_code}"
        assert self.field_error_shown(response, name), f"{label}: no error next to the field"
        assert not snapshot_diff(before, snapshot()), f"{label}: something was saved"


@contextmanager
def undone():
    """Each attempt starts from the same world, rolled back after it: a form that works
    once (a visit report, a decision) is still tried field by field."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _ids(route):
    return route.name


@pytest.mark.django_db
@pytest.mark.parametrize("route", TEXT_FORM_ROUTES, ids=_ids)
def test_markup_is_escaped_wherever_it_is_shown(client, world, route):
    sweep = Sweep(client, world, route)
    text_fields = [f for f in sweep.form.fields.values() if f.is_text]
    assert text_fields, "a form route with no text field: nothing to sweep"
    for field in text_fields:
        with undone():
            response = sweep.submit({**sweep.valid, field.name: MARKUP})
            assert response.status_code != 500, field.name
            pages = [response.content.decode()]
            if route.form.shown_on:
                pages.append(client.get(route.form.shown_on(world)).content.decode())
        for html in pages:
            for sign in RAW_MARKUP_SIGNS:
                assert sign not in html, f"{field.name}: {sign!r} came back unescaped"


@pytest.mark.django_db
@pytest.mark.parametrize("route", TEXT_FORM_ROUTES, ids=_ids)
def test_very_long_text_is_refused_clearly_or_stored_whole(client, world, route):
    sweep = Sweep(client, world, route)
    for field in [f for f in sweep.form.fields.values() if f.is_text]:
        with undone():
            before = snapshot()
            response = sweep.submit({**sweep.valid, field.name: LONG})
            assert response.status_code != 500, field.name
            after = snapshot()
            if (
                response.status_code in (200, 400)
                and 'class="errorlist' in response.content.decode()
            ):
                # Refused with a clear message (next to this field, or to the one it must match).
                assert not snapshot_diff(before, after), f"{field.name}: refused but saved"
            elif route.form.method == "post":
                assert response.status_code == 302, f"{field.name}: {response.status_code}"
                stored = any(
                    LONG in value
                    for rows in after.values()
                    for row in rows
                    for value in row
                    if isinstance(value, str)
                )
                assert stored, f"{field.name}: accepted but not stored whole"


@pytest.mark.django_db
@pytest.mark.parametrize("route", FORM_ROUTES, ids=_ids)
def test_wrong_types_and_unknown_choices_get_an_error_and_change_nothing(
    client,
    world,
    route,
):
    sweep = Sweep(client, world, route)
    has_text = any(f.is_text for f in sweep.form.fields.values())
    assert has_text == route.form.has_text, "the row's has_text does not match the form"
    has_required = any(f.required for f in sweep.form.fields.values())
    assert has_required == route.form.has_required, "the row's has_required is wrong"
    checked = 0
    for field in sweep.form.fields.values():
        if field.kind == "number":
            bad = "twelve"
        elif field.kind == "date":
            bad = "31st of Smarch"
        elif field.kind == "checkbox" and not field.multiple:
            continue  # a lone yes/no box: any value sent means "ticked"
        elif field.kind in {"select", "checkbox", "radio"} and field.options:
            bad = ["no-such-choice"] if field.multiple else "no-such-choice"
        else:
            continue
        sweep.expect_rejected({**sweep.valid, field.name: bad}, field.name, repr(bad))
        checked += 1
    number_or_choice = [
        f for f in sweep.form.fields.values() if f.kind in {"number", "date", "select"}
    ]
    assert checked >= len(number_or_choice)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in FORM_ROUTES if r.form.method == "post" and r.form.has_required],
    ids=_ids,
)
def test_missing_required_fields_get_an_error_and_change_nothing(
    client,
    world,
    route,
):
    sweep = Sweep(client, world, route)
    required = [f for f in sweep.form.fields.values() if f.required]
    assert required, "a form with no required field"
    for field in required:
        data = {k: v for k, v in sweep.valid.items() if k != field.name}
        sweep.expect_rejected(data, field.name, "missing")
