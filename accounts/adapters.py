from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Keeps e-mail addresses lower-case so one person has one account."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()
