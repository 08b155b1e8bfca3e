from django.urls import path

from . import views, views_team

app_name = "clusters"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("join/", views.join, name="join"),
    path("join-requests/", views_team.join_requests, name="join_requests"),
    path("join-requests/<int:pk>/", views_team.join_request_detail, name="join_request_detail"),
    path(
        "join-requests/<int:pk>/approve/",
        views_team.join_request_approve_view,
        name="join_request_approve",
    ),
    path(
        "join-requests/<int:pk>/reject/",
        views_team.join_request_reject_view,
        name="join_request_reject",
    ),
    path("invitations/<str:token>/", views_team.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/member-request/", views_team.member_request, name="member_request"),
    path("<slug:slug>/member-requests/", views_team.member_requests, name="member_requests"),
    path(
        "<slug:slug>/edit/team/invitations/<int:pk>/revoke/",
        views_team.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/edit/team/add/", views.team_add, name="team_add"),
    path(
        "<slug:slug>/edit/team/<int:membership_id>/remove/",
        views.team_remove,
        name="team_remove",
    ),
]
