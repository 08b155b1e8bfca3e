from django.db import transaction

from core.services import record

from .models import Organisation, User


@transaction.atomic
def profile_update(
    *,
    user: User,
    name: str,
    country: str,
    organisation_name: str = "",
    organisation_kind: str = "",
    organisation_size: str = "",
) -> User:
    """Update a member's own profile and link them to their organisation.

    An organisation that already exists (same name, case-insensitive, same country)
    is reused and left as the secretariat keeps it; a new one is created with the
    details given.
    """
    before = {
        "name": user.name,
        "country": str(user.country),
        "organisation": user.organisation.name if user.organisation is not None else "",
    }
    organisation = None
    organisation_name = organisation_name.strip()
    if organisation_name:
        organisation = Organisation.objects.filter(
            name__iexact=organisation_name, country=country
        ).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=organisation_name,
                country=country,
                kind=organisation_kind,
                size=organisation_size,
                created_by=user,
            )
    user.name = name.strip()
    user.country = country
    user.organisation = organisation
    user.save(update_fields=["name", "country", "organisation"])
    after = {
        "name": user.name,
        "country": str(user.country),
        "organisation": organisation.name if organisation else "",
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        record(actor=user, verb="profile.update", target=user, changes=changes)
    return user
