from .selectors import unread_count


def unread_notifications(request):
    # Once per request: a composed page renders each of its panels with the request, and so
    # runs the context processors once per panel. The later runs read nothing of the person
    # (a shared fragment's panel must not: core/pagecache/fragments.py).
    if not hasattr(request, "_unread_notifications"):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        request._unread_notifications = unread_count(user=user) if authenticated else None
    count = request._unread_notifications
    return {} if count is None else {"unread_notifications": count}
