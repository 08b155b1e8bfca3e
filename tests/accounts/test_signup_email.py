"""A new member's first e-mail names the site and its public address (the Sites entry
comes from SITE_URL and SITE_NAME), and confirming the address signs the person in."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

SITE_URL = "https://clusters.network.example"
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def public_site(settings):
    """A deployment whose public address is SITE_URL, applied the way a deploy does: migrate."""
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Smart Clusters"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "clusters.network.example"]
    call_command("migrate", verbosity=0)
    return Site.objects.get(pk=settings.SITE_ID)


def _sign_up(client, email):
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "name": "Nina New"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.django_db
def test_the_site_entry_follows_site_url_and_site_name(public_site, settings):
    assert public_site.domain == "clusters.network.example"
    assert public_site.name == "Smart Clusters"
    settings.SITE_URL = "https://other.network.example:8443/"
    settings.SITE_NAME = "Other Network"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("other.network.example:8443", "Other Network")


@pytest.mark.django_db
def test_the_confirmation_email_names_the_site_and_its_public_address(client, public_site):
    message = _sign_up(client, "nina@sme.example.org")
    text = message.subject + "\n" + message.body
    assert "example.com" not in text
    assert "Hello from Smart Clusters!" in message.body
    assert "register an account on clusters.network.example" in message.body


@pytest.mark.django_db
def test_following_the_link_in_the_confirmation_email_signs_the_person_in(client, public_site):
    message = _sign_up(client, "newcomer@sme.example.org")
    # Signed up but not confirmed: not signed in yet.
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="newcomer@sme.example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_notification_emails_link_to_site_url_only(
    django_capture_on_commit_callbacks, public_site, member
):
    from clusters.notifications import JOIN_REQUEST_REJECTED
    from notifications.services import notify

    context = {"join_request": {"name": "Porto Energy", "rejection_reason": "Not a cluster."}}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            recipients=[member],
            kind=JOIN_REQUEST_REJECTED.name,
            context=context,
            link=reverse("accounts:profile"),
        )
    [message] = mail.outbox
    links = re.findall(r"https?://[^\s\"'<>]+", message.body + message.alternatives[0][0])
    assert f"{SITE_URL}/accounts/profile/" in links
    assert all(link.startswith(SITE_URL + "/") for link in links), links


@pytest.mark.django_db
def test_confirming_in_another_browser_confirms_the_address_but_does_not_sign_in(
    client, public_site
):
    """allauth signs in on confirmation only in the browser that signed up: a link opened
    elsewhere (or leaked) confirms the address but never opens the account."""
    message = _sign_up(client, "elsewhere@sme.example.org")
    path = urlsplit(re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)[0]).path
    other_browser = Client()
    response = other_browser.post(path)
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in other_browser.session
    user = get_user_model().objects.get(email="elsewhere@sme.example.org")
    assert user.emailaddress_set.get().verified
