"""Admin actions that run a service on each selected object, for the secretariat.

``ServiceActionsMixin`` gives a ModelAdmin two helpers: ``run_service`` calls
``run(obj, actor)`` on each object and reports what was refused and why, and
``ask_comment`` first asks for the comment the people concerned will read
(``templates/admin/comment_action.html``), then runs the service with it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["comment"].label = label


class ServiceActionsMixin:
    def run_service(self, request, queryset, run, done_message):
        done = 0
        for obj in queryset:
            try:
                run(obj, request.user)
            except PermissionDenied as exc:
                reason = str(exc) or _("not allowed")
                self.message_user(request, f"{obj}: {reason}", messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    def ask_comment(self, request, queryset, *, action, run, intro, submit_label, done, label=None):
        """Ask for the comment, then ``run(obj, actor, comment)`` on each object."""
        form = CommentForm(request.POST if "comment" in request.POST else None, label=label)
        if form.is_bound and form.is_valid():
            comment = form.cleaned_data["comment"]
            self.run_service(request, queryset, lambda obj, actor: run(obj, actor, comment), done)
            return None
        return render(
            request,
            "admin/comment_action.html",
            {
                **self.admin_site.each_context(request),
                "title": submit_label,
                "intro": intro,
                "form": form,
                "queryset": queryset,
                "action": action,
                "submit_label": submit_label,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
