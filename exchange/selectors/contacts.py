"""The host's person an applicant plans the visit with: always one of the host's people
who read the application's thread and are told of its messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Application, Review
from ..notifications import host_people_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User


def host_person(application: Application) -> User | None:
    """The host's person for the visit, one of ``host_people`` (who read the thread and are
    told of its messages): the offer's contact while in the host's team, else whoever
    accepted it if they are one of them, else the host cluster's first manager."""
    return host_persons([application])[application.pk]


def host_persons(applications: Iterable[Application]) -> dict[int, User | None]:
    """``host_person`` of each application, by its id, in the same queries for them all."""
    applications = list(applications)
    people_of = host_people_of(applications)
    result: dict[int, User | None] = {}
    for application in applications:
        people = people_of[application.pk]
        try:
            review = application.review
        except Review.DoesNotExist:
            review = None
        accepted = review is not None and review.recommendation == Review.Recommendation.ACCEPT
        offer = application.offer
        wanted = [
            offer.contact_id if offer is not None else None,
            review.reviewer_id if review is not None and accepted else None,
        ]
        chosen = next(
            (p for pk in wanted if pk is not None for p in people if p.pk == pk),
            people[0] if people else None,
        )
        result[application.pk] = chosen
    return result
