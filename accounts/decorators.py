from django.contrib.auth.decorators import login_required
from rules.contrib.views import permission_required as rules_permission_required


def permission_required(perm, fn=None):
    """Signed-out visitors go to sign in; signed-in users without the permission get 403.

    Views that fetch one object fetch it through a queries.py function scoped to the user
    first, so an object someone may not see answers 404 before any permission is asked.
    """

    def decorator(view):
        return login_required(rules_permission_required(perm, fn=fn, raise_exception=True)(view))

    return decorator
