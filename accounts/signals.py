"""Prompt the people who hold other people's data to turn on two-factor auth; give a
staff session its idle period from the login on."""

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in as session_started
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .middleware import staff_session_touch
from .permissions import is_secretariat
from .selectors import user_has_mfa, user_should_use_mfa

MFA_PROMPT = _(
    "Your role gives you access to other people's data: please protect your account "
    "with two-factor authentication."
)


@receiver(user_logged_in)
def prompt_for_mfa(sender, request, user, **kwargs):
    if user_should_use_mfa(user=user) and not user_has_mfa(user=user):
        messages.warning(request, MFA_PROMPT)


@receiver(session_started)
def shorten_staff_session(sender, request, user, **kwargs):
    """A staff session ends after an idle period (see accounts.middleware)."""
    if is_secretariat(user) and request is not None and hasattr(request, "session"):
        staff_session_touch(request.session)
