from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import health
from portal import views as portal_views

admin.site.site_header = _("Smart Clusters — secretariat")
admin.site.site_title = _("Smart Clusters admin")
admin.site.index_title = _("Curate the network")
# The admin's door is allauth's login: its rate limits and its TOTP step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("clusters/", include("clusters.urls")),
    path("notifications/", include("notifications.urls")),
    path("practices/", include("practices.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("exchange/", include("exchange.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
