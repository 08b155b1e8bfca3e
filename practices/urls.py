from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("", views.repository, name="repository"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/interest/", views.interest, name="interest"),
    path("<slug:slug>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
