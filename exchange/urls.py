from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/applications.csv", views.call_export, name="call_export"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("applications/", views.applications, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit_view, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw_view,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/review/", views.application_review_view, name="application_review"),
    path("applications/<int:pk>/decide/", views.application_decide_view, name="application_decide"),
    path("applications/<int:pk>/report/", views.application_report, name="application_report"),
    path(
        "applications/<int:pk>/messages/",
        views.application_message_view,
        name="application_message",
    ),
    path("applications/<int:pk>/paid/", views.application_paid_view, name="application_paid"),
    path(
        "applications/<int:pk>/report/files/<int:file_pk>/",
        views.report_attachment,
        name="report_attachment",
    ),
    path("review/", views.review, name="review"),
    path("decisions/", views.decisions, name="decisions"),
]
