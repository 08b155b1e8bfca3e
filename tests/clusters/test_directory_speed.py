"""The directory and the profile at network scale: the cheaper widgets render the same HTML
as Django's, the query count stays the same as the network grows, and the page stays small."""

import pytest
from django import forms
from django.test.html import parse_html

from clusters.filters import CheckboxList, FlatSelect

CHOICES = [("mobility", "Mobility"), ("energy", "Energy & <grids>"), ("ict", "ICT")]


@pytest.mark.parametrize(
    ("ours", "django"),
    [(CheckboxList, forms.CheckboxSelectMultiple), (FlatSelect, forms.Select)],
)
@pytest.mark.parametrize("value", [None, ["energy"], ["energy", "ict"], "ict"])
def test_the_flat_widgets_render_the_same_html_as_djangos(ours, django, value):
    if django is forms.Select and isinstance(value, list):
        value = value[0]
    attrs = {"id": "id_eco", "aria-describedby": "id_eco_helptext"}
    mine = ours(choices=CHOICES).render("eco", value, attrs=attrs)
    theirs = django(choices=CHOICES).render("eco", value, attrs=attrs)
    assert parse_html(mine) == parse_html(theirs)
    assert "&lt;grids&gt;" in mine
