from django.db import models


class WebsiteField(models.URLField):
    """A URL field whose form field assumes https:// for addresses typed without a scheme."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
