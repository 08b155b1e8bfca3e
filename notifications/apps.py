from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from core.signals import state_recorded

        from . import panels  # noqa: F401 - registers the failed e-mails queue
        from .services import on_state_recorded

        # Every recorded change may finish what a notification asked for.
        state_recorded.connect(on_state_recorded, dispatch_uid="notifications.mark_done")
