from django import template
from django.utils.safestring import SafeString, mark_safe

from core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **objects) -> SafeString:
    """``{% panels "cluster_profile" cluster=cluster %}``: the slot's sections, in order."""
    # Each section is rendered by Django's template engine, so it is already escaped.
    return mark_safe("".join(panels_for(slot, context["request"], **objects)))  # noqa: S308
