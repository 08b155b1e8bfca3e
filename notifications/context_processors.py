from .selectors import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Once per request: a composed page renders each of its panels with the request,
    # and so runs the context processors once per panel.
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(user=user)
    return {"unread_notifications": request._unread_notifications}
