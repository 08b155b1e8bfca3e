"""Choose a row in a form by typing its name: a text field instead of a <select> of thousands.

A network has thousands of clusters and people: a list of them all is megabytes of HTML
and useless to a person. These fields render a text input (no JavaScript needed) and
resolve what was typed on the server: an exact name (any case) or the start of exactly
one name. Anything else is refused with a message that names a few rows that match, so
the person can type more. They take a queryset, like ``ModelChoiceField``, so a form keeps
its rules of who may choose what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

SHOWN_MATCHES = 5

NO_MATCH = _("Nothing called “%(value)s” can be chosen here. Check the spelling.")
NO_MATCH_BUT = _(
    "Nothing is called “%(value)s”, but these contain it: %(matches)s. Type the whole name."
)
AMBIGUOUS = _("“%(value)s” matches more than one: %(matches)s. Type more of the name.")
TOO_LONG = _("Type at most %(max)d characters.")
MAX_LENGTH = 200


class TypedModelChoiceField(forms.CharField):
    """One row of ``queryset``, chosen by typing its ``name_field``."""

    def __init__(self, *, queryset: QuerySet, name_field: str = "name", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH)
        prefix = kwargs.pop("help_prefix", None)
        hint = _("Type the name or its start.")
        kwargs.setdefault("help_text", format_lazy("{} {}", prefix, hint) if prefix else hint)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.name_field = name_field
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("spellcheck", "false")

    def _name_of(self, value: Any) -> str:
        if isinstance(value, Model):
            return getattr(value, self.name_field)
        if isinstance(value, int):
            name = (
                self.queryset.model._default_manager.filter(pk=value)
                .values_list(self.name_field, flat=True)
                .first()
            )
            return name or ""
        return "" if value is None else str(value)

    def prepare_value(self, value: Any) -> str:
        # The initial value of a model form is a primary key; show the name instead.
        return self._name_of(value)

    def resolve(self, value: str) -> Model:
        """The one row that ``value`` names, or a ValidationError naming a few matches."""
        field = self.name_field
        exact = list(self.queryset.filter(**{f"{field}__iexact": value})[:2])
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise self._ambiguous(value, exact)
        starts = list(
            self.queryset.filter(**{f"{field}__istartswith": value}).order_by(field, "pk")[
                : SHOWN_MATCHES + 1
            ]
        )
        if len(starts) == 1:
            return starts[0]
        if starts:
            raise self._ambiguous(value, starts)
        contains = list(
            self.queryset.filter(**{f"{field}__icontains": value}).order_by(field, "pk")[
                : SHOWN_MATCHES + 1
            ]
        )
        if contains:
            raise forms.ValidationError(
                NO_MATCH_BUT,
                code="unknown",
                params={"value": value, "matches": self._list(contains)},
            )
        raise forms.ValidationError(NO_MATCH, code="unknown", params={"value": value})

    def _list(self, rows: list[Model]) -> str:
        names = [f"“{getattr(row, self.name_field)}”" for row in rows[:SHOWN_MATCHES]]
        if len(rows) > SHOWN_MATCHES:
            names.append("…")
        return ", ".join(names)

    def _ambiguous(self, value: str, rows: list[Model]) -> forms.ValidationError:
        return forms.ValidationError(
            AMBIGUOUS, code="ambiguous", params={"value": value, "matches": self._list(rows)}
        )

    def clean(self, value: Any) -> Any:
        value = super().clean(value)  # required, max length, strip
        if value in self.empty_values:
            return None
        return self.resolve(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self._name_of(initial) != (data or "").strip()


class TypedModelMultipleChoiceField(TypedModelChoiceField):
    """Rows of ``queryset``, one name (or its start) per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH * 20)
        kwargs.setdefault("help_prefix", _("One per line."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("rows", 3)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, QuerySet):
            value = list(value)
        values = list(value or [])
        pks = [v for v in values if not isinstance(v, Model)]
        rows = self.queryset.model._default_manager.filter(pk__in=pks)
        names = dict(rows.values_list("pk", self.name_field))
        return "\n".join(
            getattr(v, self.name_field) if isinstance(v, Model) else names.get(v, "")
            for v in values
        )

    def clean(self, value: Any) -> Any:
        text = forms.CharField.clean(self, value)
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        rows, errors = [], []
        for line in lines:
            try:
                row = self.resolve(line)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
                continue
            if row not in rows:
                rows.append(row)
        if errors:
            raise forms.ValidationError(errors)
        return rows

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial).split("\n") != [
            line.strip() for line in (data or "").splitlines() if line.strip()
        ]
