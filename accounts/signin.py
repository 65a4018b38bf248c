"""Who is signing in, as the lockout counts them.

Sign-in finds an account whatever the case and the spaces around the address typed
(`UserManager.get_by_natural_key` matches case-insensitively; the form strips spaces), so
the lockout (django-axes) must count every spelling of one address as one: otherwise
`X@council.example` and ` x@council.example ` would each get their own five guesses.
Unknown addresses are counted the same way, so a locked page says nothing about whether
an account exists.
"""


def lockout_username(request, credentials=None):
    """The address being tried, as one lockout key whatever its spelling."""
    if credentials is not None and "username" in credentials:
        typed = credentials.get("username")
    else:
        typed = request.POST.get("username") if request is not None and hasattr(request, "POST") else None
    return (typed or "").strip().lower()
