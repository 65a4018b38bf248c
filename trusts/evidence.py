"""Consultation evidence files.

Checked exactly as bid documents are (bids.documents.check_upload: a PDF, DOCX, XLSX or
ODT whose name and content agree, up to 10MB), stored under a random name in private
storage, and served only through the award's permission-checked view.
"""

from bids.documents import check_upload

LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def check_evidence(upload):
    """(clean name, content type) for an acceptable file; raises ValidationError otherwise."""
    name, kind = check_upload(upload, existing_count=0)
    return name, kind.content_type


def describe(content_type, size):
    """'PDF, 120 KB' for the page."""
    label = LABELS.get(content_type, "File")
    if size is None:
        return label
    if size < 1024 * 1024:
        return f"{label}, {max(1, round(size / 1024))} KB"
    return f"{label}, {size / (1024 * 1024):.1f} MB"
