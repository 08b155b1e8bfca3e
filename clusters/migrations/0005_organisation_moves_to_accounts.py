"""Organisation moved down to accounts (accounts/migrations/0003). State only: the
table, its rows and the member-of-clusters table keep their names and columns.

- The member-of-clusters link is now Cluster.member_organisations (the same table,
  clusters_organisation_clusters, with the same columns cluster_id/organisation_id).
- clusters.Organisation stays as a proxy of accounts.Organisation, so the
  references to "clusters.Organisation" (exchange's application) and the admin's
  address keep working.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation"),
        ("clusters", "0004_cluster_labels"),
    ]

    state_operations = [
        migrations.AddField(
            model_name="cluster",
            name="member_organisations",
            field=models.ManyToManyField(
                blank=True,
                db_table="clusters_organisation_clusters",
                related_name="clusters",
                to="accounts.organisation",
                verbose_name="member organisations",
            ),
        ),
        migrations.DeleteModel(
            name="Organisation",
        ),
        migrations.CreateModel(
            name="Organisation",
            fields=[],
            options={
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("accounts.organisation",),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
