"""The names a cluster's card and profile show, read fast: a directory page shows two dozen."""

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django_countries import countries


@cache
def _country_names(language: str) -> dict[str, str]:
    """Every country's name in ``language`` (the active one when first asked), by code."""
    return {code: str(name) for code, name in countries}


class ShownNames:
    """Without the per-call cost of Django's get_label_display (it hashes every lazy choice)
    and django-countries' name lookup (several translations a call)."""

    Label: Any
    label: str
    country: Any

    @property
    def label_name(self) -> str:
        return str(self.Label(self.label).label)

    @property
    def country_name(self) -> str:
        names = _country_names(get_language() or settings.LANGUAGE_CODE)
        return names.get(self.country.code) or str(self.country.name)
