"""The benchmark's pages answer 200 for the person it loads them as, on a small seeded
network: it must never measure a redirect, a 403 or a 404 by mistake. Each person is
logged in the way the benchmark does it (the login form; the TOTP step for the
secretariat), over Django's test client instead of HTTP."""

import pytest
from django.core.management import call_command
from django.test import Client

from bench.pages import (
    ADMIN,
    ANONYMOUS,
    PEOPLE,
    SECRETARIAT,
    ClientSession,
    LoginError,
    Page,
    admin_changelist_path,
    log_in,
    page_list,
    pick_fixtures,
    prepare_people,
)


@pytest.fixture
def bench_network(demo_output):
    call_command("seed_scale", clusters=30, offers=5, verbosity=0)
    return pick_fixtures(), prepare_people()


def test_every_page_answers_200_for_its_person(bench_network):
    fixtures, people = bench_network
    clients = {ANONYMOUS: Client()}
    for who in PEOPLE:
        clients[who] = Client()
        log_in(ClientSession(clients[who]), people[who])
    pages = [Page(ADMIN, SECRETARIAT, admin_changelist_path()), *page_list(fixtures)]

    answers = {(p.name, p.who, p.path): clients[p.who].get(p.path).status_code for p in pages}

    assert fixtures.practice_slug, fixtures.notes
    assert fixtures.offer_pk, fixtures.notes
    assert {who for _, who, _ in answers} == {ANONYMOUS, *PEOPLE}
    assert {page: status for page, status in answers.items() if status != 200} == {}


def test_the_secretariat_cannot_log_in_without_its_totp_code(bench_network):
    _, people = bench_network
    secretariat = people[SECRETARIAT]
    secretariat.totp_secret = None

    with pytest.raises(LoginError, match="TOTP"):
        log_in(ClientSession(Client()), secretariat)
