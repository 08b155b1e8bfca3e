"""Set the Sites entry from SITE_URL and SITE_NAME (kept in sync after every migrate
by core.apps' post_migrate handler)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from core.sites import site_sync_from_settings

    site_sync_from_settings(
        site_model=apps.get_model("sites", "Site"), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
