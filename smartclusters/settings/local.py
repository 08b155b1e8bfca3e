"""Laptop settings: ``make run``. SQLite, console e-mail, tasks in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo opens the admin with the demo login alone; production requires TOTP for staff.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=False)
