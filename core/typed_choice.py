"""A choice among thousands, typed rather than picked from a list.

A ``<select>`` over every cluster of a 10,000-cluster network is a megabyte of HTML and
most of the page's rendering time. :class:`TypedModelChoiceField` is a plain text input
resolved on the server, so it works without JavaScript:

1. the key an older link passes (a slug or an id: ``key_fields``);
2. the exact name, or another exact field such as an acronym (``exact_fields``), in any case;
3. the one name that starts with the text (``name_field``).

Several matches, or none, give a clear error that lists a few names to type instead. At
most four small queries, whatever the size of the table. :class:`TypedModelChoiceFilter`
is the django-filter filter around it; :class:`TypedModelMultipleChoiceField` takes one
name per line; both fields suit ordinary and model forms (an initial primary key shows as
its name). :func:`typed_help` is the help text that says how to type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

MAX_LENGTH = 200
SUGGESTIONS = 5

UNKNOWN = _("Nothing is called “%(value)s”. Check the spelling, or type the start of the name.")
UNKNOWN_SOME = _("Nothing is called “%(value)s”. Did you mean: %(matches)s?")
AMBIGUOUS = _("Several names start with “%(value)s”: %(matches)s. Type more of the name.")
SAME_NAME = _(
    "Several are called “%(value)s”. Type the address name of the one you mean: %(matches)s."
)
TOO_LONG = _("Type at most %(limit)d characters.")
HINT = _("Type the name or its start.")


def typed_help(prefix: Any = None) -> Any:
    """ "Type the name or its start.", after what the field asks for if given."""
    return format_lazy("{} {}", prefix, HINT) if prefix else HINT


class TypedModelChoiceField(forms.CharField):
    """A text input that names one row of ``queryset``; cleans to the row, or None when
    left empty. The input shows the row's name once resolved (an old link's slug becomes
    the cluster's name in the box). ``key_fields`` may be empty (a person's e-mail, an
    action's title: nothing else to type)."""

    def __init__(
        self,
        *,
        queryset: QuerySet[Any],
        name_field: str = "name",
        key_fields: Sequence[str] = ("slug",),
        exact_fields: Sequence[str] = (),
        label_from_instance: Callable[[Any], str] = str,
        suggestions: int = SUGGESTIONS,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)
        self.queryset = queryset
        self.name_field = name_field
        self.key_fields = tuple(key_fields)
        self.exact_fields = tuple(exact_fields)
        self.label_from_instance = label_from_instance
        self.suggestions = suggestions
        self._resolved: tuple[str, Any] | None = None
        # A refused value is never looked up (the length is checked before any query).
        self.validators = []

    def __deepcopy__(self, memo: dict[int, Any]) -> TypedModelChoiceField:
        result = super().__deepcopy__(memo)
        result._resolved = None
        return result

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Model):
            return self.label_from_instance(value)
        if isinstance(value, int):  # a model form's initial value: the primary key
            row = self.queryset.model._default_manager.filter(pk=value).first()
            return self.label_from_instance(row) if row is not None else ""
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        shown = self.prepare_value(initial)
        return ("" if shown is None else str(shown)) != " ".join(str(data or "").split())

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What the box shows after a search: the name of the row the text resolved to."""
        if self._resolved is not None and self._resolved[0] == data:
            return self.label_from_instance(self._resolved[1])
        return super().bound_data(data, initial)

    def to_python(self, value: Any) -> Any:
        raw = value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if len(text) > (self.max_length or MAX_LENGTH):
            raise ValidationError(
                TOO_LONG, code="max_length", params={"limit": self.max_length or MAX_LENGTH}
            )
        found = self._resolve(text)
        self._resolved = (raw, found)
        return found

    def _names(self, rows: list[Any]) -> str:
        return ", ".join(f"“{self.label_from_instance(row)}”" for row in rows)

    def _resolve(self, text: str) -> Any:
        qs = self.queryset
        for key in self.key_fields:
            if key in ("pk", "id") and not text.isdigit():
                continue
            row = qs.filter(**{key: text}).first()
            if row is not None:
                return row
        for field in (self.name_field, *self.exact_fields):
            same = list(qs.filter(**{f"{field}__iexact": text})[:2])
            if len(same) == 1:
                return same[0]
            if same:
                order = self.key_fields[0] if self.key_fields else "pk"  # same names: stable
                rows = list(
                    qs.filter(**{f"{field}__iexact": text}).order_by(order)[: self.suggestions]
                )
                if not self.key_fields:
                    raise ValidationError(
                        AMBIGUOUS,
                        code="ambiguous",
                        params={"value": text, "matches": self._names(rows)},
                    )
                keys = ", ".join(str(getattr(r, self.key_fields[0])) for r in rows)
                raise ValidationError(
                    SAME_NAME, code="ambiguous", params={"value": text, "matches": keys}
                )
        starting = list(
            qs.filter(**{f"{self.name_field}__istartswith": text}).order_by(self.name_field)[
                : self.suggestions + 1
            ]
        )
        if len(starting) == 1:
            return starting[0]
        if starting:
            shown = self._names(starting[: self.suggestions])
            if len(starting) > self.suggestions:
                shown = f"{shown}, …"
            raise ValidationError(
                AMBIGUOUS, code="ambiguous", params={"value": text, "matches": shown}
            )
        near = list(
            qs.filter(**{f"{self.name_field}__icontains": text}).order_by(self.name_field)[
                : self.suggestions
            ]
        )
        if near:
            raise ValidationError(
                UNKNOWN_SOME, code="unknown", params={"value": text, "matches": self._names(near)}
            )
        raise ValidationError(UNKNOWN, code="unknown", params={"value": text})


class TypedModelMultipleChoiceField(TypedModelChoiceField):
    """Rows of ``queryset``, one name (or its start) per line; cleans to a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH * 20)
        kwargs.setdefault("help_text", typed_help(_("One per line.")))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        values = list(value) if isinstance(value, QuerySet) else list(value or [])
        pks = [v for v in values if not isinstance(v, Model)]
        rows = self.queryset.model._default_manager.in_bulk(pks) if pks else {}
        return "\n".join(
            self.label_from_instance(v if isinstance(v, Model) else rows[v])
            for v in values
            if isinstance(v, Model) or v in rows
        )

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data

    def to_python(self, value: Any) -> Any:
        text = str(value or "")
        if len(text) > (self.max_length or MAX_LENGTH):
            raise ValidationError(
                TOO_LONG, code="max_length", params={"limit": self.max_length or MAX_LENGTH}
            )
        rows: list[Any] = []
        errors: list[ValidationError] = []
        for line in text.splitlines():
            line = " ".join(line.split())
            if not line:
                continue
            if len(line) > MAX_LENGTH:
                errors.append(
                    ValidationError(TOO_LONG, code="max_length", params={"limit": MAX_LENGTH})
                )
                continue
            try:
                row = self._resolve(line)
            except ValidationError as error:
                errors.extend(error.error_list)
                continue
            if row not in rows:
                rows.append(row)
        if errors:
            raise ValidationError(errors)
        return rows

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = [line for line in str(self.prepare_value(initial) or "").split("\n") if line]
        return before != [
            " ".join(line.split()) for line in str(data or "").splitlines() if line.strip()
        ]


class TypedModelChoiceFilter(django_filters.Filter):
    """django-filter's ModelChoiceFilter for tables too large for a select: the same
    ``field_name`` and ``queryset`` (set ``.queryset`` in the FilterSet's ``__init__``),
    a :class:`TypedModelChoiceField` for the input."""

    field_class = TypedModelChoiceField

    def __init__(self, *args: Any, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.queryset = queryset

    @property
    def queryset(self) -> QuerySet[Any]:
        return self.extra["queryset"]

    @queryset.setter
    def queryset(self, value: QuerySet[Any]) -> None:
        self.extra["queryset"] = value

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}": value})
