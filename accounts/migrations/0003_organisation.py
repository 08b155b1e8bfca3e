"""Organisation moves down from clusters to accounts, so that accounts (the floor)
references no clusters model. State only: the table clusters_organisation, its rows,
its constraint and the people's organisation_id column stay as they are
(clusters/migrations/0005 removes the model from clusters' state)."""

import django.db.models.deletion
import django.db.models.functions.text
import django_countries.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "country",
                    django_countries.fields.CountryField(max_length=2, verbose_name="country"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("sme", "SME"),
                            ("startup", "Start-up"),
                            ("large", "Large company"),
                            ("research", "Research or university"),
                            ("public", "Public body"),
                            ("cluster", "Cluster organisation"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "size",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("micro", "1–9 people"),
                            ("small", "10–49 people"),
                            ("medium", "50–249 people"),
                            ("large", "250 or more people"),
                        ],
                        max_length=20,
                        verbose_name="size",
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
                "db_table": "clusters_organisation",
                "ordering": ["name"],
            },
        ),
        migrations.AlterField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="people",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("country"),
                name="clusters_org_name_country_unique",
            ),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
