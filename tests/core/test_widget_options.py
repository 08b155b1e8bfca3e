"""The project's select and multiple-input templates (core.templatetags.widget_options)
render exactly the HTML of Django's own, option for option."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.test.signals import template_rendered

DJANGO, OURS = DjangoTemplates(), TemplatesSetting()

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <b>bold</b>"),
    (2, "Two"),
    ("Group “one”", [("g1", "G one"), ("g2", 'G "two"')]),
    (None, "None value"),
]

WIDGETS = {
    "select": forms.Select(choices=CHOICES),
    "select multiple": forms.SelectMultiple(choices=CHOICES),
    "nullboolean": forms.NullBooleanSelect(),
    "checkboxes": forms.CheckboxSelectMultiple(choices=CHOICES),
    "radios": forms.RadioSelect(choices=CHOICES),
    "radios with class": forms.RadioSelect(choices=CHOICES[:3], attrs={"class": "inline"}),
}
ATTRS = [
    None,
    {"id": "id_thing", "required": True, "disabled": False, "data-x": 'say "hi" <now>'},
    {"aria-describedby": "help", "autofocus": True},
]
VALUES = [None, "", "a", ["a", "g2"], 2, "2", "unknown"]


@pytest.mark.parametrize("kind", list(WIDGETS))
@pytest.mark.parametrize("attrs", ATTRS, ids=["no attrs", "attrs", "aria"])
def test_the_same_html_as_djangos_templates(kind, attrs):
    widget = WIDGETS[kind]
    for value in VALUES:
        if isinstance(value, list) and not widget.allow_multiple_selected:
            continue
        ours = widget.render("thing", value, attrs=attrs, renderer=OURS)
        django = widget.render("thing", value, attrs=attrs, renderer=DJANGO)
        assert ours == django, f"{kind} {value!r}:\n{ours}\n---\n{django}"
        if kind != "nullboolean":
            assert "Alpha &amp; &lt;b&gt;bold&lt;/b&gt;" in ours


@pytest.mark.parametrize("kind", list(WIDGETS))
def test_no_template_is_rendered_per_option(kind):
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        WIDGETS[kind].render("thing", "a", attrs={"id": "id_thing"}, renderer=OURS)
    finally:
        template_rendered.disconnect(note)
    assert len(rendered) <= 2, rendered  # the widget's template (and multiple_input.html)


def test_a_widget_with_an_option_template_of_its_own_keeps_djangos_path():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input.html"  # any other template

    html = Starred(choices=[("a", "A")]).render("x", "a", renderer=OURS)
    assert html == Starred(choices=[("a", "A")]).render("x", "a", renderer=DJANGO)
    assert "<input" in html
