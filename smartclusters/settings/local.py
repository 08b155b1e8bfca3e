"""Laptop settings: ``make run``. SQLite, console e-mail, tasks in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
