"""The plan's figures and first lines from an index-only scan per objective, and the open
actions by due date (the overdue and due-soon lists, the timeline): /action-plan/ at
20,000 actions without reading the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0002_calendar_feed_token_hash")]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["objective", "due_date", "id", "parent", "status", "progress"],
                name="action_objective_due",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("status__in", ("completed", "cancelled")), _negated=True),
                fields=["due_date", "id", "parent", "objective"],
                name="action_open_due",
            ),
        ),
    ]
