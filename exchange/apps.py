from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "ClusterXchange"

    def ready(self) -> None:
        from . import notifications, panels  # noqa: F401 - registers kinds, reminders, panels
