from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _sync_site(sender, using, apps=global_apps, **kwargs):
    from .sites import site_sync_from_settings

    try:
        site_model = apps.get_model("sites", "Site")
    except LookupError:
        return
    site_sync_from_settings(site_model=site_model, using=using)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # After the sites app's own post_migrate (which creates example.com on a new
        # database), keep Site(SITE_ID) equal to SITE_URL / SITE_NAME.
        post_migrate.connect(_sync_site, sender=self, dispatch_uid="core.sync_site")
        # Every write to a table public pages read drops the stored pages (core.pagecache).
        from .pagecache import writes

        connection_created.connect(writes.install, dispatch_uid="core.pagecache.writes")
        for connection in connections.all(initialized_only=True):
            writes.install(connection)
