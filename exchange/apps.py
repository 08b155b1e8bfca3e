from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "ClusterXchange"

    def ready(self) -> None:
        from . import notifications  # noqa: F401 - registers the kinds and reminders
