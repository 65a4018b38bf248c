"""Hostile input for every form, and the checks every answer to it must pass.

Each test signs in as someone who may use a form, then has hypothesis post it random and
hostile values: long text, control characters (NUL above all, which PostgreSQL refuses in
text), markup, odd unicode digits, huge and negative numbers, several values for one
field, a file where text belongs, nothing at all, and other objects' ids. Every example
runs in a savepoint that is rolled back, so each one starts from the same bid or award.

What every answer must be: a redirect (the form was accepted), the page again with a
GOV.UK error summary, or a documented refusal (400 for a body no browser would send,
403, 404; 429 for a locked sign-in).
Never a 500, never a page that silently ignores what was sent, never markup echoed back
unescaped. Each test then checks the rules its form guards held in what was stored.
"""

from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils.http import urlencode
from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

HOSTILE = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# For a test run once per page of a kind (the twelve question pages): fewer each.
EACH_PAGE = settings(HOSTILE, max_examples=10)

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
NUL = "\x00"

# Values that have broken forms somewhere: each stands for a family of mistakes.
NASTY = [
    "",
    " ",
    "   \t  ",
    NUL,
    f"Kent{NUL}County",
    NUL * 5,
    "\r\n\r\n",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b[31m\x7f",
    "line one\x0bline two",
    "\ufeff\u200b\u200d\u2028\u2029",
    "\u202eevil\u202c",
    SCRIPT,
    IMAGE,
    "{{ request.user.email }}{% debug %}",
    "' OR '1'='1'; --",
    "Robert'); DROP TABLE bids_bid;--",
    "²",
    "³²¹",
    "٣٠٠٠٠",
    "𝟘𝟙𝟚",
    "１２３",
    "½",
    "Ⅻ",
    "1e100",
    "1E-999",
    "1e999999999",
    "-1",
    "-0",
    "0",
    "0.001",
    "4.0",
    "4.5",
    "+4",
    " 4 ",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "9" * 20,
    "9" * 30,
    "9" * 5000,
    "1" + "0" * 4400,
    "-" + "9" * 25,
    "£",
    "£-5",
    "£1,000,000",
    "£40,000.001",
    "40000.5.5",
    "1,2,3",
    "0x1F",
    "1_000",
    "Ω≈ç√∫˜µ≤≥÷",
    "🦄" * 60,
    "Zalgo: Z̸̢̛a̴̟͐l̶̡͝g̸̰̀o̵̳͝",
    "x" * 300,
    "x" * 20001,
    "word " * 2100,
    "null",
    "None",
    "[]",
    "{}",
    "true",
    "on",
    "yes",
    "no",
    "https://",
    "javascript:alert(1)",
    "http://[::1",
]

# What people and scripts type where a number or a date belongs.
NUMBERISH = [
    "²",
    "³²¹",
    "٣٠",
    "𝟘𝟙",
    "１２",
    "9" * 25,
    "9" * 5000,
    "1e100",
    "1e999999999",
    "-1",
    "-0",
    "0",
    "00",
    "NaN",
    "Infinity",
    "4.5",
    "+4",
    " 4 ",
    "",
]

text_with_nul = st.builds(
    lambda before, after: f"{before}{NUL}{after}", st.text(max_size=20), st.text(max_size=20)
)
control_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=20)
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    text_with_nul,
    control_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
MISSING = object()
# Ids no row has: zero, past any real id, the largest a database id can be, and beyond.
NOT_THERE_IDS = [0, 999_999_999, 2**63 - 1, 2**70]
a_file = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["notes.txt", "plan.pdf", f"a{NUL}b.pdf", "../../etc/passwd", "x" * 300]),
    st.binary(max_size=64),
)


class Field:
    """How one field is filled: `first` is what a person filling the form in properly
    would send; `anything` is that, other plausible values, hostile text, several values
    at once, a file where text belongs, or the field left out altogether."""

    def __init__(self, plausible, also=None):
        self.first = plausible[0] if plausible else MISSING
        likely = st.sampled_from(list(plausible)) if plausible else hostile_text
        if also is not None:
            likely = st.one_of(likely, also)
        single = st.one_of(likely, hostile_text)
        self.anything = st.one_of(
            likely,
            hostile_text,
            st.lists(single, min_size=0, max_size=3),
            st.just(MISSING),
            a_file,
        )


def field(*plausible, also=None):
    """A field whose first plausible value is the right answer (see Field)."""
    return Field(plausible, also)


@st.composite
def _with_changes(draw, fields):
    """The right answers, with one to three of them replaced by anything at all: each
    field's own checks get tried while the rest of the form is in order."""
    posted = {name: spec.first for name, spec in fields.items()}
    for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True)):
        posted[name] = draw(fields[name].anything)
    return posted


def form(**fields):
    """A whole POST, {name: value}: the right answers, the right answers with a few
    changed, or every field anything at all. Left-out fields are removed."""
    fields = {
        name: spec if isinstance(spec, Field) else Field((), also=spec) for name, spec in fields.items()
    }
    return st.one_of(
        st.just({name: spec.first for name, spec in fields.items()}),
        _with_changes(fields),
        st.fixed_dictionaries({name: spec.anything for name, spec in fields.items()}),
    ).map(lambda posted: {k: v for k, v in posted.items() if v is not MISSING})


def posting(client, url, posted, urlencoded=False):
    """POST as a browser would: multipart by default, or a urlencoded body (files dropped)."""
    if not urlencoded:
        return client.post(url, posted)

    plain = {
        name: [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
        for name, value in posted.items()
    }
    return client.post(url, urlencode(plain, doseq=True), content_type="application/x-www-form-urlencoded")


@contextmanager
def rolled_back():
    """Run one example and undo whatever it stored, so the next starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def page_text(response):
    return response.content.decode("utf-8", errors="replace")


def assert_handled(response, *, success=(302,), refusals=()):
    """The answer to a hostile POST is a success, a page with an error summary, or a refusal."""
    outcome = _outcome(response, success, refusals)
    if currently_in_test_context():
        event(f"outcome: {outcome}")  # --hypothesis-show-statistics shows each form's mix
    return outcome


def _outcome(response, success, refusals):
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status in success:
        assert "/sign-in" not in response.get("Location", ""), "signed out by an earlier example"
        return "success"
    if status in refusals:
        return "refused"
    assert status == 200, f"unexpected status {status}"
    text = page_text(response)
    assert 'class="govuk-error-summary"' in text, "the form came back without saying what is wrong"
    assert_escaped(text)
    return "invalid"


def assert_escaped(text):
    assert SCRIPT not in text and "<img src=x onerror" not in text, (
        "markup from the form was echoed unescaped"
    )


def assert_no_nul(*values):
    for value in values:
        assert NUL not in str(value), f"a NUL character was stored: {value!r}"


def last_text(value):
    """What request.POST.get() returns for a posted value: the last piece of text sent."""
    if isinstance(value, list):
        texts = [item for item in value if isinstance(item, str)]
        return texts[-1] if texts else None
    return value if isinstance(value, str) else None


def client_as(user):
    """A client of its own signed in as `user`, so two people's sessions never mix."""

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
