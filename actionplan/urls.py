from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("calendar/feed/", views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/reset/", views.calendar_feed_reset_view, name="calendar_feed_reset"),
    path("strategy/<int:pk>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategy/<int:pk>/objectives/new/", views.objective_new, name="objective_new"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/edit/", views.action_change, name="action_edit"),
    path("actions/<int:pk>/follow/", views.follow, name="action_follow"),
]
