from django.db import migrations

ECOSYSTEMS = [
    ("mobility", "Mobility"),
    ("energy", "Energy"),
    ("environment", "Environment"),
    ("ict", "ICT"),
]


def create_ecosystems(apps, schema_editor):
    Ecosystem = apps.get_model("clusters", "Ecosystem")
    for code, name in ECOSYSTEMS:
        Ecosystem.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_initial")]

    operations = [migrations.RunPython(create_ecosystems, migrations.RunPython.noop)]
