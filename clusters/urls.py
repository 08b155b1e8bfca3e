from django.urls import path

from . import views

app_name = "clusters"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("join/", views.join, name="join"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/edit/team/add/", views.team_add, name="team_add"),
    path(
        "<slug:slug>/edit/team/<int:membership_id>/remove/",
        views.team_remove,
        name="team_remove",
    ),
]
