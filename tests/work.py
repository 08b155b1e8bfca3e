"""Reading the blocks of the "Your work" page (core.work) in the tests."""

import re

from django.urls import reverse


def work_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def block(page: str, name: str) -> str | None:
    """The HTML of the block ``name``, or None when the page has none."""
    found = re.search(
        rf'<section class="work-block" aria-labelledby="work-{re.escape(name)}">(.*?)</section>',
        page,
        re.S,
    )
    return found.group(1) if found else None


def count_of(section: str) -> int:
    return int(re.search(r'class="count-badge[^"]*">(\d+)<', section).group(1))


def item_links(section: str) -> list[str]:
    """The items' links, in the order shown."""
    items = re.search(r'<ol class="work-items">(.*?)</ol>', section, re.S)
    return re.findall(r'<li[^>]*>\s*<a href="([^"]+)"', items.group(1)) if items else []


def notes(section: str) -> list[str]:
    return [" ".join(n.split()) for n in re.findall(r'class="work-note">(.*?)<', section, re.S)]
