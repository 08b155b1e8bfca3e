"""Keep only a hash of each calendar address's token.

Forwards, existing tokens are hashed, so the addresses people have already subscribed to
keep working. A hash does not give the token back: backwards, every person gets a new,
random token (their old address stops working, as after a reset).
"""

import hashlib
import secrets

import django.utils.timezone
from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("actionplan", "CalendarFeed")
    for feed in CalendarFeed.objects.only("pk", "token", "created").iterator():
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
        feed.issued = feed.created
        feed.save(update_fields=["token_hash", "issued"])


def new_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("actionplan", "CalendarFeed")
    for feed in CalendarFeed.objects.only("pk").iterator():
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="issued",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="address made"
            ),
        ),
        # Nullable and not unique while it goes, so that going back can refill it row by row.
        migrations.AlterField(
            model_name="calendarfeed",
            name="token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, new_tokens),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
