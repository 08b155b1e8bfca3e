"""The search vectors become columns the database generates (practices/search.py): a bulk
``.update()`` of a title or a summary no longer leaves them behind, and ``save()`` no
longer writes them a second time. Two more: the title, and the title with the summary,
for the result tiers. A GIN index on each, on PostgreSQL only (SQLite has no full-text
search; its columns are NULL)."""

import django.contrib.postgres.search
from django.db import migrations, models

import practices.search

INDEXES = {
    "practice_search_vector_gin": "search_vector",
    "practice_search_title_gin": "search_title",
    "practice_search_head_gin": "search_head",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON practices_practice USING GIN ({column})"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            if name != "practice_search_vector_gin":  # 0002's, dropped by its own reversal
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def generated(expression):
    return models.GeneratedField(
        db_persist=True,
        expression=expression,
        output_field=django.contrib.postgres.search.SearchVectorField(null=True),
    )


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_search_index")]

    operations = [
        migrations.RemoveField(model_name="practice", name="search_vector"),
        migrations.AddField(
            model_name="practice",
            name="search_vector",
            field=generated(practices.search.full_document()),
        ),
        migrations.AddField(
            model_name="practice",
            name="search_title",
            field=generated(practices.search.title_document()),
        ),
        migrations.AddField(
            model_name="practice",
            name="search_head",
            field=generated(practices.search.head_document()),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
