from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The composition layer: pages that gather the sections the features register."""

    name = "portal"
    verbose_name = "Portal"
