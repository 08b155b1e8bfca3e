"""The notifications and the reminder the practices app sends."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from accounts.selectors import secretariat_users
from clusters.notifications import in_a_cluster_team
from clusters.permissions import manages_a_cluster
from notifications.registry import Kind, done_when, register
from notifications.reminders import Due, Reminder
from notifications.reminders import register as register_reminder

AREA = _("Practices")

SUBMITTED = register(
    Kind(
        "practices.submitted",
        _("A practice waits for moderation (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
PUBLISHED = register(
    Kind(
        "practices.published",
        _("Your practice was published"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
CHANGES_REQUESTED = register(
    Kind(
        "practices.changes_requested",
        _("Changes were requested on your practice"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
REJECTED = register(
    Kind(
        "practices.rejected",
        _("Your practice was not accepted"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
FOLLOWED_CLUSTER_PUBLISHED = register(
    Kind(
        "practices.followed_published",
        _("A cluster you follow published a practice"),
        default_channel="digest",
        area=AREA,
    )
)
INTEREST = register(
    Kind(
        "practices.interest",
        _("Someone wants to transfer your cluster's practice"),
        area=AREA,
        audience=manages_a_cluster,
    )
)
WAITING = register(
    Kind(
        "practices.waiting",
        _("Reminder: practices waiting more than 5 days (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
WAITING_DAYS = 5


def _practices_waiting(now):
    from .models import Practice

    waiting = Practice.objects.filter(
        status=Practice.Status.SUBMITTED, submitted_at__lt=now - timedelta(days=WAITING_DAYS)
    ).select_related("cluster")
    staff = list(secretariat_users())
    for practice in waiting:
        yield Due(
            obj=practice,
            recipients=staff,
            context={"practice": practice, "days": (now - practice.submitted_at).days},
            link=practice.get_absolute_url(),
        )


register_reminder(Reminder(name=WAITING.name, due=_practices_waiting, period="week"))


# --- when an ask is done (notifications.registry.done_when) ------------------------------
# "A practice to moderate" is done once anybody moderated it (or it was taken back);
# "changes requested" once the authors sent it again.
def _moderated(practice) -> bool:
    return practice.status != "submitted"


def _changed(practice) -> bool:
    return practice.status != "changes_requested"


done_when(SUBMITTED, model="practices.practice", about="practice", when=_moderated)
done_when(WAITING, model="practices.practice", about="practice", when=_moderated)
done_when(CHANGES_REQUESTED, model="practices.practice", about="practice", when=_changed)
