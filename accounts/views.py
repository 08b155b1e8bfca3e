from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm
from .selectors import user_has_mfa, user_should_use_mfa
from .services import profile_update

PROFILE_SAVED = _("Your profile has been saved.")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            profile_update(user=user, **form.cleaned_data)
            messages.success(request, PROFILE_SAVED)
            return redirect("accounts:profile")
        status = 400
    else:
        status = 200
        organisation = user.organisation
        form = ProfileForm(
            initial={
                "name": user.name,
                "country": user.country.code if user.country else "",
                "organisation_name": organisation.name if organisation else "",
                "organisation_kind": organisation.kind if organisation else "",
                "organisation_size": organisation.size if organisation else "",
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_mfa": user_has_mfa(user=user),
            "should_use_mfa": user_should_use_mfa(user=user),
        },
        status=status,
    )
