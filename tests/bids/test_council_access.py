"""Every council page, for every role: the council of the bid's own authority may use it;
another council, an unassigned or conflicted assessor get 404; officials who may see the
bid get 403 (they have pages of their own); signed-out visitors are asked to sign in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from bids import documents, workflow
from bids.forms.task_list import QUESTION_PAGES
from bids.models import Bid, BidEvent, BidSection, ConflictOfInterest, EventKind, Partner, Sector
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(open_round, kent_user):
    bid = factories.draft_bid(open_round, "KEN", kent_user)
    factories.partner(bid, Sector.HEALTH)

    documents.add_document(bid, SimpleUploadedFile("plan.pdf", factories.pdf_bytes()), kent_user)
    return bid


def council_urls(bid):
    partner = bid.partners.get()
    document = bid.documents.get()
    ref = bid.reference
    urls = [
        reverse("bids:section", args=[ref, "contacts"]),
        reverse("bids:partners", args=[ref]),
        reverse("bids:partner-add", args=[ref]),
        reverse("bids:partner-change", args=[ref, partner.pk]),
        reverse("bids:partner-remove", args=[ref, partner.pk]),
        reverse("bids:documents", args=[ref]),
        reverse("bids:document-remove", args=[ref, document.pk]),
        reverse("bids:check", args=[ref]),
        reverse("bids:withdraw", args=[ref]),
    ]

    for section, pages in QUESTION_PAGES.items():
        urls += [reverse("bids:section-page", args=[ref, section.value, page.slug]) for page in pages.pages]
    urls += [
        reverse("bids:section-complete", args=[ref, section])
        for section in ["contacts", "partners", "documents"]
    ]
    return urls


def people(bid, assessor):
    conflicted = factories.user(Role.ASSESSOR)
    factories.assign(bid, assessor)
    factories.assign(bid, conflicted)
    ConflictOfInterest.objects.create(
        assessor=conflicted, authority=bid.authority, reason="Former employer", declared_by=conflicted
    )
    return {
        "another council": (factories.user(Role.COUNCIL, "LDS"), 404),
        "unassigned assessor": (factories.user(Role.ASSESSOR), 404),
        "conflicted assessor": (conflicted, 404),
        "assigned assessor": (assessor, 403),
        "programme lead": (factories.user(Role.LEAD), 403),
        "administrator": (factories.user(Role.ADMIN), 403),
    }


def snapshot(bid):
    return (
        list(Bid.objects.filter(pk=bid.pk).values()),
        list(BidSection.objects.filter(bid=bid).values("section", "version", "completed")),
        list(Partner.objects.filter(bid=bid).values()),
        bid.documents.count(),
    )


def test_the_council_of_the_bid_may_use_every_page(client_for, kent_user, bid):
    client = client_for(kent_user)
    for url in council_urls(bid):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert url.endswith("/contacts") and response.url.endswith("/contacts/lead-officer")


def test_everyone_else_is_refused_every_page_and_changes_nothing(bid, assessor):
    before = snapshot(bid)
    urls = council_urls(bid) + [
        reverse("bids:copy", args=[bid.reference]),
        reverse("bids:submitted", args=[bid.reference]),
    ]
    for who, (person, expected) in people(bid, assessor).items():
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for url in urls:
            data = {"version": "0", "lead_name": "Hacked", "name": "Hacked", "reason": "x", "completed": "no"}
            assert client.post(url, data).status_code == expected, (who, url, "POST")
            if not url.endswith("/copy"):
                assert client.get(url).status_code == expected, (who, url, "GET")
    assert snapshot(bid) == before


def test_signed_out_visitors_are_sent_to_sign_in(client, bid):
    for url in council_urls(bid):
        for response in (client.get(url), client.post(url, {"lead_name": "Hacked"})):
            assert response.status_code == 302 and response.url.startswith("/sign-in"), url


def test_another_authoritys_partner_or_document_id_is_404(client_for, kent_user, bid, open_round, leeds_user):
    leeds_bid = factories.draft_bid(open_round, "LDS", leeds_user)
    leeds_partner = factories.partner(leeds_bid, Sector.EDUCATION)

    leeds_document = documents.add_document(
        leeds_bid, SimpleUploadedFile("leeds.pdf", factories.pdf_bytes()), leeds_user
    )
    client = client_for(kent_user)
    ref = bid.reference
    for url in [
        reverse("bids:partner-change", args=[ref, leeds_partner.pk]),
        reverse("bids:partner-remove", args=[ref, leeds_partner.pk]),
        reverse("bids:document-remove", args=[ref, leeds_document.pk]),
        reverse("bids:document", args=[ref, leeds_document.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Hacked", "version": "0"}).status_code == 404, url
    assert Partner.objects.get(pk=leeds_partner.pk).name == leeds_partner.name
    assert leeds_bid.documents.filter(pk=leeds_document.pk).exists()


def test_a_form_naming_another_bid_or_authority_changes_only_the_councils_own(
    client_for, kent_user, bid, open_round, leeds_user
):
    leeds_bid = factories.draft_bid(open_round, "LDS", leeds_user)
    client_for(kent_user).post(
        reverse("bids:partner-add", args=[bid.reference]),
        {
            "version": "0",
            "bid": leeds_bid.pk,
            "authority": leeds_bid.authority_id,
            "name": "Leeds PCT",
            "sector": "health",
            "role": "Health",
            "contact_name": "Pat",
        },
    )
    assert not leeds_bid.partners.exists()
    assert bid.partners.filter(name="Leeds PCT").exists()


# Query counts: pages do not grow with partners, documents or events ------------------


def grow(bid, actor, n=6):
    for i in range(n):
        factories.partner(bid, Sector.VOLUNTARY, name=f"Voluntary partner {i}")
        documents.add_document(bid, SimpleUploadedFile(f"extra-{i}.pdf", factories.pdf_bytes()), actor)
        BidEvent.objects.create(bid=bid, kind=EventKind.EXTENSION_GRANTED, actor=actor, shown_to_council=True)


@pytest.mark.parametrize(
    ("name", "expected"), [("bid", 10), ("check", 12), ("partners", 7), ("documents", 6)]
)
def test_draft_pages_query_count_is_flat(client_for, kent_user, bid, name, expected):
    client = client_for(kent_user)
    url = reverse(f"bids:{name}", args=[bid.reference])
    assert queries_for(client, url) == expected
    grow(bid, kent_user)
    assert queries_for(client, url) == expected


def test_complete_page_query_count_is_flat(client_for, kent_user, bid):
    client = client_for(kent_user)
    url = reverse("bids:section-complete", args=[bid.reference, "partners"])
    assert queries_for(client, url) == 10
    grow(bid, kent_user)
    assert queries_for(client, url) == 10


def test_the_record_of_a_submitted_bid_query_count_is_flat(client_for, kent_user, open_round, lead):
    bid = factories.submitted_bid(open_round, "KEN", kent_user)
    client = client_for(kent_user)
    url = reverse("bids:bid", args=[bid.reference])
    assert queries_for(client, url) == 13
    for i in range(5):
        factories.partner(bid, Sector.COMMUNITY, name=f"Community {i}")
        BidEvent.objects.create(bid=bid, kind=EventKind.EXTENSION_GRANTED, actor=lead, shown_to_council=True)
    workflow.change_state(bid, "begin_assessment", lead)
    workflow.change_state(bid, "shortlist", lead, reason="Strong")
    assert queries_for(client, url) == 13
