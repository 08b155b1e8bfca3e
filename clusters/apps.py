from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Clusters"

    def ready(self) -> None:
        from accounts.selectors import register_mfa_role

        from . import notifications, panels, signals  # noqa: F401 - kinds, reminders, panels
        from .permissions import manages_a_cluster

        register_mfa_role(manages_a_cluster)
