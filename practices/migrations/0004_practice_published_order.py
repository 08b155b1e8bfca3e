"""The repository's order in one index, ``created`` included: the newest practices (and
each search tier's) are read from it and a page stops after its rows; with
``published_at`` alone each page sorted every practice of the same instant again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_search_generated")]

    operations = [
        migrations.RemoveIndex(model_name="practice", name="practices_p_status_71a42a_idx"),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(
                fields=["status", "-published_at", "-created"], name="practice_published_order"
            ),
        ),
    ]
