"""The PDFs the Department sends are tagged, so that screen readers can read them: a language,
a title shown instead of the file name, and a structure tree in reading order (headings,
paragraphs, tables with header and data cells) that owns every piece of marked content on
every page."""

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.platypus import Spacer

from tests import factories
from trusts import awards
from trusts.agreements import agreement_pdf
from trusts.enums import AwardState
from trusts.exports import formats
from trusts.letters import award_letter
from trusts.models import GrantAgreement
from trusts.pdf import MIN_ROWS_ON_A_PAGE, Table, a4_document

from .conftest import award_in_state

pytestmark = pytest.mark.django_db


def structure(pdf):
    """(the catalog, the tree as nested (tag, kids) tuples, {page: MCIDs drawn on it},
    {page: MCIDs the parent tree gives an owner})."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    root = catalog["/StructTreeRoot"].get_object()

    def walk(node):
        node = node.get_object()
        kids = []
        for kid in node.get("/K", []):
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if kid.get("/Type") == "/MCR":
                kids.append(int(kid["/MCID"]))
            else:
                kids.append(walk(kid))
        return (str(node["/S"])[1:], kids)

    drawn = {
        number: {int(m) for m in re.findall(rb"/MCID (\d+)", page.get_contents().get_data())}
        for number, page in enumerate(reader.pages)
    }
    numbers = root["/ParentTree"]["/Nums"]
    owned = {int(numbers[i]): set(range(len(numbers[i + 1]))) for i in range(0, len(numbers), 2)}
    pages = {number: int(page["/StructParents"]) for number, page in enumerate(reader.pages)}
    assert pages == {number: number for number in range(len(reader.pages))}
    return catalog, walk(root["/K"]), drawn, owned, reader


def tags(tree):
    tag, kids = tree
    found = [tag]
    for kid in kids:
        if isinstance(kid, tuple):
            found += tags(kid)
    return found


def assert_tagged(pdf, title):
    catalog, tree, drawn, owned, reader = structure(pdf)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == title
    assert drawn == owned, "every piece of marked content has its element, and no element points at nothing"
    assert tree[0] == "Document"
    return tree


def test_the_award_letter_is_tagged_with_headings_paragraphs_and_its_table(lead):
    council = factories.user("council", "KEN")
    award = award_in_state(AwardState.OFFERED, lead=lead, council=council, supplement=20000)
    tree = assert_tagged(award_letter(award), f"Award letter {award.bid.reference}")
    found = tags(tree)
    assert found.count("H1") == 1 and found.index("H1") < found.index("H2")
    assert {"P", "Table", "TR", "TD"} <= set(found)
    table = next(kid for kid in tree[1] if isinstance(kid, tuple) and kid[0] == "Table")
    assert [row[0] for row in table[1]] == ["TR", "TR", "TR"]  # base, supplement, total


def test_the_signed_agreement_is_tagged(lead):
    council = factories.user("council", "KEN")
    award = award_in_state(AwardState.OFFERED, lead=lead, council=council, supplement=20000)
    awards.accept(award, council, **factories.SIGNATORY)
    agreement = GrantAgreement.objects.get(award=award)
    for pdf in (bytes(agreement.document), agreement_pdf(agreement)):
        found = tags(assert_tagged(pdf, f"Grant agreement {award.bid.reference}"))
        assert found.count("Table") == 2 and "H1" in found


def test_the_programme_summary_is_tagged_with_a_running_header_and_numbered_pages(lead):
    council = factories.user("council", "KEN")
    award = award_in_state(AwardState.PAID, lead=lead, council=council)
    pdf = formats.build_bytes("pdf", award.bid.funding_round)
    name = award.bid.funding_round.name
    tree = assert_tagged(pdf, f"Programme summary: {name}")
    found = tags(tree)
    assert found.count("H1") == 1 and found.count("H2") == 3
    # The header rows of the bids table (2 columns) and the awards table (7); no bid is scored.
    assert found.count("TH") == 2 + 7
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Programme summary: {name}" in text and f"Page {number} of {total}" in text
        # The header and footer are page furniture: outside every marked paragraph.
        content = page.get_contents().get_data()
        assert b"/Artifact BMC" in content


# Heights above the table (points) where, left alone, a page would end or start with one or
# two rows: 320 splits evenly, 360 and 400 would strand rows on a third page, 680 moves the
# whole table on.
@pytest.mark.parametrize("space_above", [0, 320, 360, 400, 560, 640, 680])
def test_a_long_table_leaves_no_stranded_rows_on_any_page(space_above):
    out = io.BytesIO()
    rows = [["Region", "Awarded"]] + [[f"Row {n}", "£60,000"] for n in range(60)] + [["Total", "£3,600,000"]]
    a4_document(out, title="Table").build([Spacer(0, space_above), Table(rows, header_rows=1, repeatRows=1)])
    pages = PdfReader(io.BytesIO(out.getvalue())).pages
    shown = [page.extract_text().count("Row ") + page.extract_text().count("Total") for page in pages]
    assert sum(shown) == 61
    assert all(count == 0 or count >= MIN_ROWS_ON_A_PAGE for count in shown), shown
