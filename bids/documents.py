"""Supporting documents: what a council may upload, and adding and removing them.

A file is accepted only when its name and its content agree that it is a PDF, DOCX,
XLSX or ODT: the name alone is what the uploader chose, the content is what a reader's
software will open. Files are stored under random names in private storage (see
`models.document_path`) and only ever served by `views.documents.download`, which checks
the person may see the bid.
"""

import hashlib
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from . import drafting
from .models import BidEvent, EventKind, Section, SupportingDocument

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 20
MAX_NAME_LENGTH = 100
ALLOWED_WORDS = "a PDF, DOCX, XLSX or ODT"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    extension: str
    label: str
    content_type: str


KINDS = {
    "pdf": Kind("pdf", "PDF", "application/pdf"),
    "docx": Kind("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Kind("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": Kind("odt", "ODT", ODT_MIMETYPE.decode()),
}
# What a document's zip table of contents may hold: a long report is a few hundred parts.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_DIRECTORY = 1024 * 1024
END_SIGNATURE = b"PK\x05\x06"
END_RECORD = struct.Struct("<4s4H2LH")
# Which member of the zip archive proves what an Office Open XML or OpenDocument file is.
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def clean_name(name):
    """A name safe to show and to offer back in Content-Disposition: no folders, no
    control characters, no surprises, at most MAX_NAME_LENGTH characters, extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    try:
        name = get_valid_filename(name)
    except Exception:  # Django refuses names that clean to nothing, "." or ".."
        name = ""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip("._-") or "document"
    extension = extension.lower()[:10]
    room = MAX_NAME_LENGTH - (len(extension) + 1 if extension else 0)
    return f"{stem[:room]}.{extension}" if extension else stem[:MAX_NAME_LENGTH]


def extension_of(name):
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def zip_directory_is_modest(uploaded):
    """Whether a zip file's table of contents is one an office document could have, read
    from its end record alone before anything parses it: at most MAX_ZIP_ENTRIES entries in
    at most MAX_ZIP_DIRECTORY bytes, inside the file, and not ZIP64 (no office document under
    10MB needs it). A file built to make the parser work (200,000 empty entries) is refused
    in microseconds instead of seconds."""
    size = uploaded.size
    tail_length = min(size, END_RECORD.size + 65535)  # the end record, then a comment of up to 64KB
    uploaded.seek(size - tail_length)
    tail = uploaded.read(tail_length)
    uploaded.seek(0)
    at = tail.rfind(END_SIGNATURE)
    if at < 0 or len(tail) - at < END_RECORD.size:
        return False
    _, disk, directory_disk, on_disk, entries, directory_size, directory_at, _ = END_RECORD.unpack_from(
        tail, at
    )
    if disk or directory_disk or on_disk != entries or entries in (0, 0xFFFF):
        return False
    if directory_size == 0xFFFFFFFF or directory_at == 0xFFFFFFFF:
        return False
    return (
        entries <= MAX_ZIP_ENTRIES
        and directory_size <= MAX_ZIP_DIRECTORY
        and directory_at + directory_size <= size
    )


def _content_kind(uploaded):
    """What the bytes say the file is: one of KINDS' keys, or a description of something else."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if not zip_directory_is_modest(uploaded):
            return None
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    with archive.open("mimetype") as member:
                        if member.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                            return "odt"
                for extension, marker in ZIP_MARKERS.items():
                    if marker in names:
                        return extension
        except (zipfile.BadZipFile, OSError, RuntimeError, KeyError):
            return None
        finally:
            uploaded.seek(0)
        return None
    guessed = filetype.guess(head)
    return guessed.extension if guessed else None


def check_upload(uploaded, existing_count):
    """Return (clean name, Kind) for a file a council may upload, or raise ValidationError."""
    if existing_count >= MAX_FILES:
        raise ValidationError(
            f"You can upload up to {MAX_FILES} files. Remove a file before you upload another",
            code="too_many",
        )
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if uploaded.size > MAX_SIZE:
        raise ValidationError("The selected file must be smaller than 10MB", code="too_big")
    name = clean_name(uploaded.name)
    extension = extension_of(name)
    if extension not in KINDS:
        raise ValidationError(f"The selected file must be {ALLOWED_WORDS}", code="wrong_type")
    content = _content_kind(uploaded)
    if content != extension:
        if content in KINDS:
            raise ValidationError(
                f"The selected file is a {KINDS[content].label} but its name ends in .{extension}. "
                f"Rename it to end in .{content} and upload it again",
                code="mismatch",
            )
        raise ValidationError(
            f"The selected file must be {ALLOWED_WORDS}. Its name ends in .{extension} "
            f"but it is not a {KINDS[extension].label} file",
            code="wrong_content",
        )
    return name, KINDS[extension]


def add_document(bid, uploaded, actor, now=None):
    """Check and store one upload on a draft bid. Raises ValidationError or DraftingError."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock makes the 20-file limit hold when colleagues upload at the same moment.
        locked = drafting.lock_for_editing(bid, now)
        name, kind = check_upload(uploaded, locked.documents.count())
        before = drafting.section_snapshot(locked, Section.DOCUMENTS)
        digest = hashlib.sha256()
        for chunk in uploaded.chunks():
            digest.update(chunk)
        uploaded.seek(0)
        document = SupportingDocument(
            bid=locked,
            original_name=name,
            content_type=kind.content_type,
            size=uploaded.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=now,
        )
        document.file.save(name, uploaded, save=False)
        stored = document.file.name
        # If anything below fails the row is rolled back, so the stored file must go too.
        try:
            document.save()
            BidEvent.objects.create(
                bid=locked,
                kind=EventKind.DOCUMENT_ADDED,
                actor=actor,
                detail={"section": Section.DOCUMENTS.value, "document": name},
                shown_to_council=True,
                created_at=now,
            )
            drafting.record_section_change(locked, Section.DOCUMENTS, actor, now, before)
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def remove_document(bid, pk, actor, now=None):
    """Remove one document from a draft bid; the stored file goes once the removal commits."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = drafting.lock_for_editing(bid, now)
        document = SupportingDocument.objects.filter(bid=locked, pk=pk).first()
        if document is None:
            return None
        storage, stored = document.file.storage, document.file.name
        before = drafting.section_snapshot(locked, Section.DOCUMENTS)
        document.delete()
        BidEvent.objects.create(
            bid=locked,
            kind=EventKind.DOCUMENT_REMOVED,
            actor=actor,
            detail={"section": Section.DOCUMENTS.value, "document": document.original_name},
            shown_to_council=True,
            created_at=now,
        )
        remaining = locked.documents.exists()
        drafting.record_section_change(locked, Section.DOCUMENTS, actor, now, before, reopen=not remaining)
        transaction.on_commit(lambda: storage.delete(stored))
    return document


def content_disposition(name):
    """attachment with an ASCII fallback and the exact name in RFC 5987 form."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = "".join(ch for ch in fallback if ch.isalnum() or ch in " ._-()") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def kind_label(content_type):
    return next((kind.label for kind in KINDS.values() if kind.content_type == content_type), "File")


def human_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    if size >= 1024:
        return f"{max(1, round(size / 1024))}KB"
    return f"{size} bytes"
