"""Supporting documents: only real PDF, DOCX, XLSX and ODT files get in, they are stored
under random names, and only people who may see the bid can download them."""

import hashlib
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from bids import documents, workflow
from bids.models import BidEvent, BidSection, ConflictOfInterest, EventKind, Section, SupportingDocument
from tests import factories

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def documents_url(bid):
    return reverse("bids:documents", args=[bid.reference])


def upload(client, bid, name, content, content_type="application/octet-stream"):
    return client.post(documents_url(bid), {"file": SimpleUploadedFile(name, content, content_type)})


def error_of(response):
    return response.context["form"].errors["file"][0]


@pytest.fixture
def bid(open_round, kent_user):
    return factories.draft_bid(open_round, "KEN", kent_user)


@pytest.mark.parametrize(
    ("name", "builder", "content_type"),
    [
        ("plan.pdf", factories.pdf_bytes, "application/pdf"),
        ("plan.docx", factories.docx_bytes, documents.KINDS["docx"].content_type),
        ("budget.xlsx", factories.xlsx_bytes, documents.KINDS["xlsx"].content_type),
        ("plan.odt", factories.odt_bytes, documents.KINDS["odt"].content_type),
    ],
)
def test_real_documents_are_accepted_and_stored_under_random_names(
    client_for, kent_user, bid, name, builder, content_type
):
    content = builder()
    response = upload(client_for(kent_user), bid, name, content)
    assert response.status_code == 302
    document = SupportingDocument.objects.get(bid=bid)
    assert document.original_name == name
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == kent_user
    assert document.file.name.startswith("bid-documents/") and name not in document.file.name
    assert "." not in document.file.name.rsplit("/", 1)[1]
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert BidEvent.objects.filter(bid=bid, kind=EventKind.DOCUMENT_ADDED, actor=kent_user).exists()
    assert BidSection.objects.get(bid=bid, section=Section.DOCUMENTS).version == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", ELF, "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("plan.pdf", WINDOWS_EXE, "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("setup.exe", WINDOWS_EXE, "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("notes.txt", b"Just some text", "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("plan", factories.pdf_bytes(), "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("plan.docx", b"PK\x03\x04 this is not really a zip archive", "it is not a DOCX file"),
        ("plan.xlsx", factories.docx_bytes(), "The selected file is a DOCX but its name ends in .xlsx"),
        ("plan.pdf", factories.docx_bytes(), "The selected file is a DOCX but its name ends in .pdf"),
        ("plan.docx", factories.pdf_bytes(), "The selected file is a PDF but its name ends in .docx"),
        ("plan.odt", factories.xlsx_bytes(), "The selected file is a XLSX but its name ends in .odt"),
        ("plan.pdf", b"%PDX not quite", "it is not a PDF file"),
    ],
    ids=[
        "elf-named-pdf",
        "exe-named-pdf",
        "exe",
        "text",
        "pdf-without-extension",
        "fake-zip-named-docx",
        "docx-named-xlsx",
        "docx-named-pdf",
        "pdf-named-docx",
        "xlsx-named-odt",
        "fake-pdf",
    ],
)
def test_files_whose_content_is_not_what_their_name_says_are_refused(
    client_for, kent_user, bid, name, content, message
):
    response = upload(client_for(kent_user), bid, name, content)
    assert response.status_code == 200
    assert message in error_of(response)
    assert "The selected file must be a PDF, DOCX, XLSX or ODT" in error_of(
        response
    ) or "Rename it" in error_of(response)
    assert not SupportingDocument.objects.exists()
    assert response.context["page_title"] and "Error: " in response.content.decode()


def test_an_empty_file_is_refused(client_for, kent_user, bid):
    response = upload(client_for(kent_user), bid, "plan.pdf", b"")
    assert error_of(response) == "The selected file is empty"


def test_no_file_chosen(client_for, kent_user, bid):
    response = client_for(kent_user).post(documents_url(bid), {})
    assert error_of(response) == "Select a file to upload"


def test_a_file_over_10mb_is_refused_and_one_at_the_limit_accepted(client_for, kent_user, bid):
    client = client_for(kent_user)
    pdf = factories.pdf_bytes()
    too_big = pdf + b"\n%" + b"x" * (documents.MAX_SIZE - len(pdf) - 1)
    assert len(too_big) == documents.MAX_SIZE + 1
    assert error_of(upload(client, bid, "big.pdf", too_big)) == "The selected file must be smaller than 10MB"
    assert upload(client, bid, "exactly.pdf", too_big[:-1]).status_code == 302


def test_the_21st_file_is_refused(client_for, kent_user, bid):
    client = client_for(kent_user)
    for n in range(documents.MAX_FILES):
        assert upload(client, bid, f"file-{n}.pdf", factories.pdf_bytes()).status_code == 302
    response = upload(client, bid, "one-too-many.pdf", factories.pdf_bytes())
    assert error_of(response) == "You can upload up to 20 files. Remove a file before you upload another"
    assert bid.documents.count() == documents.MAX_FILES
    page = client.get(documents_url(bid)).content.decode()
    assert "You have uploaded 20 files, the most a bid can have" in page
    assert 'type="file"' not in page


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.pdf", "system.pdf"),
        ("/absolute/path/plan.pdf", "plan.pdf"),
        ("my plan (final).pdf", "my_plan_final.pdf"),
        ("..pdf", "document.pdf"),
        ("plan\x00\x1b.pdf", "plan.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
        ("Plan.PDF", "Plan.pdf"),
    ],
)
def test_names_are_cleaned(given, cleaned):
    assert documents.clean_name(given) == cleaned
    assert len(documents.clean_name(given)) <= documents.MAX_NAME_LENGTH


def test_an_uploaded_path_traversal_name_is_stored_cleaned(client_for, kent_user, bid):
    upload(client_for(kent_user), bid, "../../etc/passwd.pdf", factories.pdf_bytes())
    document = SupportingDocument.objects.get(bid=bid)
    assert document.original_name == "passwd.pdf"
    assert ".." not in document.file.name and "passwd" not in document.file.name


def test_removing_a_document_deletes_the_stored_file(
    client_for, kent_user, bid, django_capture_on_commit_callbacks
):
    client = client_for(kent_user)
    upload(client, bid, "plan.pdf", factories.pdf_bytes())
    document = SupportingDocument.objects.get(bid=bid)
    storage, stored = document.file.storage, document.file.name
    url = reverse("bids:document-remove", args=[bid.reference, document.pk])
    assert "Are you sure you want to remove plan.pdf?" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not SupportingDocument.objects.exists()
    assert not storage.exists(stored)
    assert BidEvent.objects.filter(bid=bid, kind=EventKind.DOCUMENT_REMOVED).exists()


def test_removing_the_last_document_reopens_a_completed_section(client_for, kent_user, bid):
    client = client_for(kent_user)
    upload(client, bid, "plan.pdf", factories.pdf_bytes())
    BidSection.objects.filter(bid=bid, section=Section.DOCUMENTS).update(completed=True)
    document = SupportingDocument.objects.get(bid=bid)
    client.post(reverse("bids:document-remove", args=[bid.reference, document.pk]))
    assert not BidSection.objects.get(bid=bid, section=Section.DOCUMENTS).completed


def test_documents_section_cannot_be_completed_without_a_document(client_for, kent_user, bid):
    url = reverse("bids:section-complete", args=[bid.reference, "documents"])
    response = client_for(kent_user).post(url, {"completed": "yes", "version": "0"})
    assert response.context["form"].errors["completed"] == ["Upload at least one supporting document"]


# Downloads ---------------------------------------------------------------------------


@pytest.fixture
def submitted_with_document(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    factories.complete_bid(bid, kent_user)

    bid.documents.all().delete()
    documents.add_document(
        bid, SimpleUploadedFile("Plan – Kent’s “final”.pdf", factories.pdf_bytes()), kent_user
    )
    return workflow.change_state(bid, "submit", kent_user)


def download_url(bid):
    return reverse("bids:document", args=[bid.reference, bid.documents.get().pk])


def test_the_council_downloads_its_document_with_safe_headers(client_for, kent_user, submitted_with_document):
    bid = submitted_with_document
    response = client_for(kent_user).get(download_url(bid))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == bid.documents.get().sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''Plan_" in disposition
    assert "\n" not in disposition and "/" not in disposition.split("filename*=")[1]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["lead", "admin", "assigned"])
def test_officials_who_may_see_the_bid_can_download(client_for, submitted_with_document, role, assessor):
    bid = submitted_with_document
    person = {"lead": lambda: factories.user(Role.LEAD), "admin": lambda: factories.user(Role.ADMIN)}.get(
        role, lambda: assessor
    )()
    if role == "assigned":
        factories.assign(bid, assessor)
    assert client_for(person).get(download_url(bid)).status_code == 200


def test_people_who_may_not_see_the_bid_get_404(
    client_for, submitted_with_document, leeds_user, assessor, client
):
    bid = submitted_with_document
    url = download_url(bid)
    assert client_for(leeds_user).get(url).status_code == 404
    assert client_for(assessor).get(url).status_code == 404  # not assigned
    factories.assign(bid, assessor)
    ConflictOfInterest.objects.create(
        assessor=assessor, authority=bid.authority, reason="Former employer", declared_by=assessor
    )
    assert client_for(assessor).get(url).status_code == 404  # assigned but conflicted
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/sign-in")


def test_a_document_id_from_another_bid_is_404(client_for, kent_user, submitted_with_document, open_round):
    leeds_bid = factories.submitted_bid(open_round, "LDS")
    leeds_document = leeds_bid.documents.get()
    url = reverse("bids:document", args=[submitted_with_document.reference, leeds_document.pk])
    assert client_for(kent_user).get(url).status_code == 404


def test_stored_files_are_not_reachable_by_url(client_for, kent_user, submitted_with_document):
    document = submitted_with_document.documents.get()
    assert client_for(kent_user).get(f"/no-direct-access/{document.file.name}").status_code == 404
