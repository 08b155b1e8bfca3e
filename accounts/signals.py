"""Prompt the people who hold other people's data to turn on two-factor auth."""

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .selectors import user_has_mfa, user_should_use_mfa

MFA_PROMPT = _(
    "Your role gives you access to other people's data: please protect your account "
    "with two-factor authentication."
)


@receiver(user_logged_in)
def prompt_for_mfa(sender, request, user, **kwargs):
    if user_should_use_mfa(user=user) and not user_has_mfa(user=user):
        messages.warning(request, MFA_PROMPT)
