from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Clusters"

    def ready(self) -> None:
        from . import notifications, panels  # noqa: F401 - registers kinds, reminders, panels
