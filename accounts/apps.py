from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from core.pagecache import fragments

        from . import panels, permissions, signals  # noqa: F401

        fragments.set_viewer_kind(permissions.viewer_kind)
