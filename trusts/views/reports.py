"""The reports page: exports sent at once when small, built by a worker when large."""

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.views import posted

from ..enums import ExportState
from ..exports import formats
from ..forms import ReportForm
from ..models import ReportExport
from ..tasks import queue_export
from .access import programme_page

RECENT_EXPORTS = 20
TAG_CLASSES = {
    ExportState.QUEUED: "govuk-tag--grey",
    ExportState.RUNNING: "govuk-tag--blue",
    ExportState.DONE: "govuk-tag--green",
    ExportState.FAILED: "govuk-tag--red",
    ExportState.EXPIRED: "govuk-tag--grey",
}


def is_expired(export, now=None):
    now = now or timezone.now()
    return export.state == ExportState.EXPIRED or (
        export.state == ExportState.DONE and export.expires_at is not None and export.expires_at <= now
    )


def status(export):
    """What the page and its progress poller show about one export."""
    total = export.rows_total
    written = min(export.rows_written, total) if total else export.rows_written
    expired = is_expired(export)
    state = ExportState.EXPIRED if expired else export.state
    return {
        "id": export.pk,
        "state": state,
        "state_label": ExportState(state).label,
        "tag_class": TAG_CLASSES[state],
        "in_progress": state in (ExportState.QUEUED, ExportState.RUNNING),
        "rows_written": written,
        "rows_total": total,
        "percent": round(written * 100 / total) if total else (100 if state == ExportState.DONE else 0),
        "message": f"{written:,} of {total:,} awards written" if total else "Starting",
        "download_url": reverse("trusts:export-download", kwargs={"pk": export.pk})
        if state == ExportState.DONE
        else "",
        "error": export.error,
    }


def attachment(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def send_now(fmt, funding_round):
    spec = formats.FORMATS[fmt]
    filename = formats.filename_for(fmt, funding_round)
    if spec.stream is not None:
        # Rows go to the browser as they are read: memory stays flat, the download starts at once.
        return attachment(
            StreamingHttpResponse(spec.stream(funding_round), content_type=spec.content_type), filename
        )
    return attachment(
        HttpResponse(formats.build_bytes(fmt, funding_round), content_type=spec.content_type), filename
    )


@programme_page("trusts.export_reports")
def reports(request):
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        funding_round = form.cleaned_data["funding_round"]
        rows = formats.row_count(fmt, funding_round)
        if rows <= formats.BACKGROUND_THRESHOLD:
            return send_now(fmt, funding_round)
        export = ReportExport.objects.create(
            format=fmt, funding_round=funding_round, requested_by=request.user, rows_total=rows
        )
        transaction.on_commit(lambda: queue_export(export.pk))
        messages.success(
            request,
            f"We are building your {export.get_format_display()} of {rows:,} awards. "
            "It will be ready to download from the list below.",
        )
        return redirect(reverse("trusts:reports") + "#exports")
    recent = list(
        ReportExport.objects.select_related("requested_by", "funding_round").order_by("-requested_at")[
            :RECENT_EXPORTS
        ]
    )
    for export in recent:
        export.status = status(export)
    return render(
        request,
        "trusts/reports.html",
        {
            "page_title": "Reports",
            "form": form,
            "exports": recent,
            "threshold": formats.BACKGROUND_THRESHOLD,
            "expiry_hours": settings.EXPORT_EXPIRY_HOURS,
        },
    )


@programme_page("trusts.export_reports")
def export_status(request, pk):
    export = get_object_or_404(ReportExport, pk=pk)
    return JsonResponse(status(export))


@programme_page("trusts.export_reports")
def export_download(request, pk):
    export = get_object_or_404(ReportExport.objects.select_related("requested_by"), pk=pk)
    if is_expired(export) or (
        export.state == ExportState.DONE and not default_storage.exists(export.file.name)
    ):
        return render(
            request,
            "trusts/export_expired.html",
            {"page_title": "This report has expired", "export": export},
            status=410,
        )
    if export.state != ExportState.DONE:
        messages.info(request, f"The {export.get_format_display()} is not ready yet.")
        return redirect(reverse("trusts:reports") + "#exports")
    spec = formats.FORMATS[export.format]
    return FileResponse(
        default_storage.open(export.file.name, "rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=spec.content_type,
    )
