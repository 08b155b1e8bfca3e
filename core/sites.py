"""The Sites framework's entry (allauth's e-mails name it: "Hello from <name>!", "an
account on <domain>") follows the settings ``SITE_NAME`` and ``SITE_URL``.

It is set by a data migration (``core.0002_site_from_settings``) and kept in sync after
every ``migrate`` (post_migrate, see ``core.apps``): the web service migrates on every
start, so a changed ``SITE_URL`` applies on the next deploy. Doing it at migrate time,
not on each process start, keeps the web, worker and beat processes from racing to
write the same row and keeps start-up free of database writes.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import SITE_CACHE, Site
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


def site_domain_from_url(url: str) -> str:
    """``https://clusters.example.eu:8443/`` -> ``clusters.example.eu:8443``."""
    return urlsplit(url).netloc


def site_sync_from_settings(*, site_model=None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the site SITE_ID the domain of SITE_URL and the name SITE_NAME.

    ``site_model`` is the historical model when called from a migration.
    """
    site_model = site_model or Site
    domain = site_domain_from_url(settings.SITE_URL)
    name = settings.SITE_NAME
    site, created = site_model.objects.using(using).get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": name}
    )
    if created:
        # Created with an explicit id: move PostgreSQL's sequence past it, as Django's
        # own create_default_site does.
        sequence_sql = connections[using].ops.sequence_reset_sql(no_style(), [site_model])
        with connections[using].cursor() as cursor:
            for sql in sequence_sql:
                cursor.execute(sql)
    elif (site.domain, site.name) != (domain, name):
        logger.info("Site %s: %s (%s) -> %s (%s)", site.pk, site.domain, site.name, domain, name)
        site.domain, site.name = domain, name
        site.save(update_fields=["domain", "name"])
    SITE_CACHE.clear()
