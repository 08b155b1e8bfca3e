"""CSV import and export of clusters for the secretariat (django-import-export)."""

from import_export import fields, resources, widgets

from .models import Cluster, Ecosystem


class ClusterResource(resources.ModelResource):
    ecosystems = fields.Field(
        attribute="ecosystems",
        column_name="ecosystems",
        widget=widgets.ManyToManyWidget(Ecosystem, field="code", separator="|"),
    )

    class Meta:
        model = Cluster
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        fields = [
            "slug",
            "name",
            "acronym",
            "country",
            "region",
            "city",
            "website",
            "contact_email",
            "description",
            "year_founded",
            "legal_form",
            "ecosystems",
            *Cluster.MEMBER_COUNT_FIELDS,
            "offers",
            "needs",
            "status",
        ]
        export_order = fields
