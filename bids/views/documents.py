"""Supporting documents are served only here, to people who may see the bid."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..documents import content_disposition
from ..models import SupportingDocument
from ..queries import bids_for


@login_required
def download(request, reference, pk):
    # bids_for() first: an unassigned or conflicted assessor, or another council, gets 404.
    bid = get_object_or_404(bids_for(request.user), reference=reference)
    if not request.user.has_perm("bids.view_bid", bid):
        raise PermissionDenied
    document = get_object_or_404(SupportingDocument, bid=bid, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
