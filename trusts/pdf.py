"""What every PDF the Department sends is built on: A4 with its margins, the Department as
author, set-up text escaped before ReportLab's paragraph parser reads it (a round named
"Pilots 2004 <b>" is text, not markup), and tagged PDF (ISO 32000-1, 14.8) so that screen
readers can read it: a language, a title shown in place of the file name, and a structure
tree of headings, paragraphs and tables in reading order, with page furniture (rules,
headers, footers) marked as artifacts.

ReportLab draws but does not tag, so the tagging is done here: a `Paragraph` and a `Table`
from this module say what they are while they draw (marked content with an MCID on the
page), and `TaggedCanvas` gathers that into the document's structure tree as it is saved.
Build documents with `a4_document(...)` and these flowables; anything else draws untagged.
"""

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFPage
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Table as ReportLabTable

from .enums import FUNDER_NAME

LANGUAGE = "en-GB"
GREY = colors.HexColor("#505a5f")
# Paragraph styles that are headings, by their name: the document's title and its sections.
HEADING_TAGS = {"title": "H1", "heading": "H2"}


def escape(text):
    """Text as ReportLab's paragraph markup shows it, whatever it contains."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Element:
    """A node of the structure tree: a standard structure type and its kids, which are
    elements or marked content (page index, MCID)."""

    def __init__(self, tag, parent=None):
        self.tag = tag
        self.parent = parent
        self.kids = []


class TaggedCanvas(Canvas):
    """A canvas that records marked content into a structure tree and writes the tree, the
    language, MarkInfo and DisplayDocTitle into the document when it is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.root = Element("Document")
        self.current = self.root
        self.page_index = 0
        self.next_mcid = 0
        self.in_content = False

    # Structure, as flowables draw ---------------------------------------------------------

    def open(self, tag):
        element = Element(tag, self.current)
        self.current.kids.append(element)
        self.current = element
        return element

    def close(self):
        self.current = self.current.parent or self.root

    def begin_content(self):
        """Start marked content belonging to the current element."""
        mcid = self.next_mcid
        self.next_mcid += 1
        self.current.kids.append((self.page_index, mcid))
        self._code.append(f"/{self.current.tag} <</MCID {mcid}>> BDC")
        self.in_content = True

    def end_content(self):
        self._code.append("EMC")
        self.in_content = False

    def begin_artifact(self):
        self._code.append("/Artifact BMC")

    def end_artifact(self):
        self._code.append("EMC")

    def showPage(self):
        super().showPage()
        page = self._doc.Pages.pages[-1]
        # A page that holds marked content says where its entry in the parent tree is, and
        # that the tab order follows the structure.
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = self.page_index
        page.Tabs = PDFName("S")
        self.page_index += 1
        self.next_mcid = 0

    def save(self):
        self.write_structure()
        super().save()

    # The structure tree, written once -----------------------------------------------------

    def write_structure(self):
        document = self._doc
        catalog = document.Catalog
        parents = {}  # page index -> {mcid: reference of the element that owns it}

        def write(element, parent_reference):
            dictionary = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(element.tag)})
            reference = document.Reference(dictionary)
            if parent_reference is not None:
                dictionary.dict["P"] = parent_reference
            kids = []
            pages = set()
            for kid in element.kids:
                if isinstance(kid, Element):
                    kids.append(write(kid, reference))
                else:
                    page, mcid = kid
                    pages.add(page)
                    kids.append(
                        PDFDictionary({"Type": PDFName("MCR"), "Pg": page_reference(page), "MCID": mcid})
                    )
                    parents.setdefault(page, {})[mcid] = reference
            if len(pages) == 1:
                dictionary.dict["Pg"] = page_reference(pages.pop())
            dictionary.dict["K"] = PDFArray(kids)
            return reference

        tree = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        tree_reference = document.Reference(tree)
        tree.dict["K"] = write(self.root, tree_reference)
        numbers = []
        for page in range(self.page_index):
            owners = parents.get(page, {})
            numbers += [page, PDFArray([owners[mcid] for mcid in sorted(owners)])]
        tree.dict["ParentTree"] = PDFDictionary({"Nums": PDFArray(numbers)})
        tree.dict["ParentTreeNextKey"] = self.page_index
        catalog.StructTreeRoot = tree
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})


def page_reference(index):
    """ReportLab names each page as it adds it: Page1, Page2 ..."""
    return PDFObjectReference(f"Page{index + 1}")


def tagging(canvas):
    return isinstance(canvas, TaggedCanvas)


class Paragraph(ReportLabParagraph):
    """A paragraph, or a heading when its style is one (HEADING_TAGS), tagged as it draws."""

    def drawOn(self, canvas, x, y, _sW=0):
        if not tagging(canvas) or canvas.in_content:
            return super().drawOn(canvas, x, y, _sW)
        canvas.open(HEADING_TAGS.get(self.style.name, "P"))
        canvas.begin_content()
        try:
            return super().drawOn(canvas, x, y, _sW)
        finally:
            canvas.end_content()
            canvas.close()


# A table split across pages keeps at least this many rows on each page (besides its
# repeated header), so that no page ends or starts with a stranded row or a lone total.
MIN_ROWS_ON_A_PAGE = 3


class Table(ReportLabTable):
    """A table tagged as Table, TR and TH or TD, its rules and shading as artifacts. The
    first `header_rows` rows are header cells; text cells are content of their cell, and
    paragraphs in a cell are paragraphs in it. A `layout` table (side by side blocks, not
    data) is not a table to a screen reader: only what is in it is tagged."""

    def __init__(self, data, *args, header_rows=0, layout=False, **kwargs):
        kwargs["renderCB"] = self.tag_as_drawn
        self.header_rows = header_rows
        self.layout = layout
        super().__init__(data, *args, **kwargs)

    def tag_as_drawn(self, table, event, *details):
        canvas = table.canv
        if not tagging(canvas):
            return
        if event in ("startBG", "startLines"):
            canvas.begin_artifact()
        elif event in ("endBG", "endLines"):
            canvas.end_artifact()
        elif self.layout:
            return  # a table that only lays things out: its paragraphs tag themselves
        elif event == "startTable":
            canvas.open("Table")
        elif event == "endTable":
            canvas.close()
        elif event == "startRow":
            canvas.open("TR")
            self.row_number = details[0]
        elif event == "endRow":
            canvas.close()
        elif event == "startCell":
            canvas.open("TH" if self.row_number < self.header_rows else "TD")
            cell = details[2]
            self.cell_is_text = not isinstance(cell, (list, tuple)) and not hasattr(cell, "drawOn")
            if self.cell_is_text:
                canvas.begin_content()
        elif event == "endCell":
            if self.cell_is_text:
                canvas.end_content()
            canvas.close()

    def split(self, availWidth, availHeight):
        """Split across pages leaving at least MIN_ROWS_ON_A_PAGE rows of the table on each
        page (or not at all here: it starts on the next page). The parts are tables of this
        kind, with its header."""
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            rows = len(self._cellvalues) - self.header_rows
            first = len(parts[0]._cellvalues) - self.header_rows
            if first < MIN_ROWS_ON_A_PAGE or rows < 2 * MIN_ROWS_ON_A_PAGE:
                return []
            if rows - first < MIN_ROWS_ON_A_PAGE:
                # Move rows over so the second page has its share: split at the height of fewer rows.
                keep = self.header_rows + rows - MIN_ROWS_ON_A_PAGE
                parts = super().split(availWidth, sum(self._rowHeights[:keep]) + 0.5)
        for part in parts:
            if isinstance(part, Table):
                part._renderCB = part.tag_as_drawn
                part.header_rows = self.header_rows
                part.layout = self.layout
        return parts


def page_furniture(header, footer, pages):
    """onFirstPage and onLaterPages for a report: a running header, and a footer with the
    page number (of `pages`, when known), drawn as artifacts so screen readers skip them."""

    def draw(canvas, document):
        tagged = tagging(canvas)
        width, height = document.pagesize
        if tagged:
            canvas.begin_artifact()
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(GREY)
        canvas.drawString(document.leftMargin, height - document.topMargin + 6 * mm, header)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        top = height - document.topMargin + 4.5 * mm
        canvas.line(document.leftMargin, top, width - document.rightMargin, top)
        canvas.drawString(document.leftMargin, document.bottomMargin - 8 * mm, footer)
        number = f"Page {document.page}" + (f" of {pages}" if pages else "")
        canvas.drawRightString(width - document.rightMargin, document.bottomMargin - 8 * mm, number)
        canvas.restoreState()
        if tagged:
            canvas.end_artifact()

    return draw, draw


class TaggedDocTemplate(SimpleDocTemplate):
    def build(self, flowables, *args, canvasmaker=TaggedCanvas, **kwargs):
        return super().build(flowables, *args, canvasmaker=canvasmaker, **kwargs)


def a4_document(out, *, title, subject="", margin=18):
    """A4, `margin` millimetres at the sides and two fewer at top and bottom, tagged."""
    return TaggedDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin * mm,
        rightMargin=margin * mm,
        topMargin=(margin - 2) * mm,
        bottomMargin=(margin - 2) * mm,
        title=title,
        author=FUNDER_NAME,
        subject=subject,
        lang=LANGUAGE,
    )
