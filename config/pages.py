"""Static pages and the error pages, all on the GOV.UK template."""

from django.shortcuts import render


def accessibility(request):
    return render(request, "pages/accessibility.html", {"page_title": "Accessibility statement"})


def privacy(request):
    return render(request, "pages/privacy.html", {"page_title": "Privacy notice"})


def bad_request(request, exception=None):
    return render(
        request, "errors/400.html", {"page_title": "Sorry, there is a problem with the service"}, status=400
    )


def permission_denied(request, exception=None):
    return render(
        request, "errors/403.html", {"page_title": "You do not have permission to see this page"}, status=403
    )


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    return render(
        request, "errors/500.html", {"page_title": "Sorry, there is a problem with the service"}, status=500
    )


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", {"page_title": "Your session has expired"}, status=403)
