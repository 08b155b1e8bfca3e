from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Strategy and Plan of Actions"

    def ready(self) -> None:
        from . import notifications, panels  # noqa: F401 - registers kinds, reminders, panels
