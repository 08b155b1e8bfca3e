from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Best practices"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers kinds, reminders, panels
            notifications,
            panels,
        )
