"""Finding 2 (medium): a 10MB .docx that is a zip of a great many directory entries took
seconds of CPU to inspect (and was then taken for a DOCX), six at once stalled every web
worker, and refused files counted toward no limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bids import documents
from bids.models import SupportingDocument
from bids.views import sections
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def crowded_docx():
    """A zip under 10MB that claims to be a DOCX: the parts a DOCX has, then 100,000 empty
    directory entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for number in range(100_000):
            archive.writestr(zipfile.ZipInfo(f"{number:x}/"), b"")
    content = buffer.getvalue()
    assert len(content) < documents.MAX_SIZE
    return content


def test_a_crowded_zip_is_refused_from_its_end_record_without_being_parsed(crowded_docx, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the zip's table of contents was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", parse)
    upload = SimpleUploadedFile("plan.docx", crowded_docx)
    with pytest.raises(ValidationError, match="it is not a DOCX file"):
        documents.check_upload(upload, existing_count=0)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda data: data[:-22]
        + b"PK\x05\x06"
        + b"\x00" * 4
        + b"\xff\xff\xff\xff"
        + data[-14:],  # ZIP64 counts
        lambda data: data.replace(b"PK\x05\x06", b"PK\x05\x07"),  # no end record
        lambda data: data[:-6] + b"\xff\xff\xff\x7f" + data[-2:],  # directory past the end of the file
    ],
)
def test_zips_whose_end_record_does_not_add_up_are_refused(mangle):
    data = mangle(factories.docx_bytes())
    with pytest.raises(ValidationError):
        documents.check_upload(SimpleUploadedFile("plan.docx", data), existing_count=0)


def test_an_ordinary_docx_still_passes():
    name, kind = documents.check_upload(SimpleUploadedFile("plan.docx", factories.docx_bytes()), 0)
    assert kind.extension == "docx"


def test_refused_uploads_count_toward_a_limit(client_for, kent_user, open_round, monkeypatch):
    monkeypatch.setattr(sections, "UPLOADS_PER_PERSON", "3/h")
    bid = factories.draft_bid(open_round, "KEN", actor=kent_user)
    client = client_for(kent_user)
    address = reverse("bids:documents", args=[bid.reference])
    for _ in range(3):
        refused = client.post(address, {"file": SimpleUploadedFile("plan.docx", b"PK\x03\x04 not a zip")})
        assert "it is not a DOCX file" in refused.content.decode()
    inspected = []
    monkeypatch.setattr(documents, "check_upload", lambda *args: inspected.append(args))
    response = client.post(address, {"file": SimpleUploadedFile("plan.pdf", factories.pdf_bytes())})
    assert "You have sent a lot of files in the last hour" in response.content.decode()
    assert inspected == [] and not SupportingDocument.objects.exists()
