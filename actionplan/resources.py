"""CSV import and export of actions for the secretariat (django-import-export)."""

from import_export import fields, resources, widgets

from clusters.models import Cluster

from .models import Action, Objective


class ActionResource(resources.ModelResource):
    objective = fields.Field(
        attribute="objective",
        column_name="objective",
        widget=widgets.ForeignKeyWidget(Objective, field="title"),
    )
    lead_cluster = fields.Field(
        attribute="lead_cluster",
        column_name="lead_cluster",
        widget=widgets.ForeignKeyWidget(Cluster, field="slug"),
    )
    partners = fields.Field(
        attribute="partners",
        column_name="partners",
        widget=widgets.ManyToManyWidget(Cluster, field="slug", separator="|"),
    )

    class Meta:
        model = Action
        clean_model_instances = True
        skip_unchanged = True
        fields = [
            "id",
            "objective",
            "title",
            "description",
            "lead_cluster",
            "partners",
            "start_date",
            "due_date",
            "status",
            "progress",
            "budget_amount",
            "budget_currency",
            "funding_source",
            "weight",
        ]
