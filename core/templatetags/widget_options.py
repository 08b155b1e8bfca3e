"""The options of Django's choice widgets joined in Python, the same HTML as its templates.

Django renders each ``<option>`` of a select, and each box of a list of checkboxes or radio
buttons, with two or three templates of its own (the option, the input, its attributes):
a country select of 250 options is 750 template renders, most of a form page's time (the
join request form at network scale: 330 ms of 350). The project's copies of
``django/forms/widgets/select.html`` and ``multiple_input.html`` call these filters
instead, for every form of the site and of the admin. A widget whose options use another
template than Django's own keeps Django's path (the filters return ``None``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SELECT_OPTION = "django/forms/widgets/select_option.html"
INPUT_OPTIONS = {
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/input_option.html",
}


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: str(), then escaped."""
    return str(conditional_escape(str(value)))


def attrs_html(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: False leaves an attribute out, True names it."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def _options(widget: dict[str, Any]) -> list[Any]:
    return [option for _group, options, _index in widget["optgroups"] for option in options]


@register.filter
def attrs(widget: dict[str, Any]) -> SafeString:
    return mark_safe(attrs_html(widget["attrs"]))  # noqa: S308  # every part escaped


@register.filter
def select_options(widget: dict[str, Any]) -> SafeString | None:
    """What ``select.html`` renders between ``<select …>`` and ``</select>``."""
    if any(option["template_name"] != SELECT_OPTION for option in _options(widget)):
        return None
    out = []
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        for option in options:
            out.append(
                f'\n  <option value="{_text(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group:
            out.append("\n  </optgroup>")
    return mark_safe("".join(out))  # noqa: S308  # every part escaped


def _input_option(option: dict[str, Any]) -> str:
    """``checkbox_option.html`` / ``radio_option.html`` (``input_option.html``)."""
    value = option["value"]
    html = f'<input type="{conditional_escape(option["type"])}" name="{_text(option["name"])}"'
    if value is not None:
        html += f' value="{_text(value)}"'
    html += f"{attrs_html(option['attrs'])}>\n"
    if option.get("wrap_label"):
        label_for = option["attrs"].get("id")
        opening = f'<label for="{_text(label_for)}">' if label_for else "<label>"
        html = f"{opening}{html} {conditional_escape(option['label'])}</label>"
    return html + "\n\n"


@register.filter
def input_options(widget: dict[str, Any]) -> SafeString | None:
    """What ``multiple_input.html`` renders inside its ``<div>``."""
    if any(option["template_name"] not in INPUT_OPTIONS for option in _options(widget)):
        return None
    out = []
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            out.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            out.append("\n  </div>")
    return mark_safe("".join(out))  # noqa: S308  # every part escaped
