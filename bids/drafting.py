"""What a council does to its draft: start it, fill in sections, check it is ready,
start again from a copy. Submission itself goes through bids/workflow.py.

Colleagues edit the same draft over several sittings. Every save of a section is a
conditional update on that section's version: if someone saved the section since the
page was loaded, and what they saved differs from what this person typed, the save is
refused with the differences (SectionConflict) and nothing is overwritten silently. Only
the fields of the page being saved are written, so two people on different pages of a
bid never undo each other's work. A bid that is not a draft, or whose deadline has
passed for its authority, is never changed (DraftingError).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.london import london

from . import deadlines, workflow
from .eligibility import missing_core_sectors
from .models import Bid, BidEvent, BidSection, BidState, EventKind, Partner, Section
from .questions import COPIED, PARTNER_FIELDS, has_answers, partner_answers, section_answers
from .workflow import WorkflowError


def reference_for(funding_round, authority):
    base = f"CTP-{funding_round.code}-{authority.code}"
    attempts = Bid.objects.filter(funding_round=funding_round, authority=authority).count()
    return base if attempts == 0 else f"{base}-{attempts + 1}"


def start_bid(funding_round, authority, actor, copy_of=None):
    """Start the authority's bid in this round, or return the one it already has.

    Returns (bid, created). One live bid per authority per round is enforced by the
    database, so two colleagues pressing "Start" together still get one bid.
    """
    existing = active_bid(funding_round, authority)
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                funding_round=funding_round,
                authority=authority,
                reference=reference_for(funding_round, authority),
                created_by=actor,
                updated_by=actor,
                copied_from=copy_of,
            )
            BidSection.objects.bulk_create(BidSection(bid=bid, section=section) for section in Section.values)
            BidEvent.objects.create(
                bid=bid,
                kind=EventKind.CREATED,
                actor=actor,
                to_state=BidState.DRAFT,
                reason=f"Copied from {copy_of.reference}" if copy_of else "",
                shown_to_council=True,
            )
    except IntegrityError:
        return active_bid(funding_round, authority), False
    return bid, True


def active_bid(funding_round, authority):
    return (
        Bid.objects.filter(funding_round=funding_round, authority=authority)
        .exclude(state=BidState.WITHDRAWN)
        .first()
    )


@transaction.atomic
def copy_bid(withdrawn, actor):
    """Start again from a withdrawn bid: a new draft with the same answers and partners.

    Documents are not copied: the council uploads what it wants to send this time.
    """
    bid, created = start_bid(withdrawn.funding_round, withdrawn.authority, actor, copy_of=withdrawn)
    if not created:
        return bid, False
    for question in COPIED:
        if question.many:
            getattr(bid, question.name).set(question.value(withdrawn))
        else:
            setattr(bid, question.name, question.value(withdrawn))
    bid.save()
    for partner in withdrawn.partners.all():
        partner.pk = None
        partner.bid = bid
        partner.added_by = actor
        partner.added_at = timezone.now()
        partner.save()
    completed = set(withdrawn.sections.filter(completed=True).values_list("section", flat=True))
    completed.discard(Section.DOCUMENTS)
    bid.sections.filter(section__in=completed).update(completed=True)
    return bid, True


# Saving sections ---------------------------------------------------------------------


class DraftingError(WorkflowError):
    """The bid cannot be changed: it is not a draft, or its deadline has passed."""


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    theirs: str
    yours: str


class SectionConflict(Exception):
    """Someone saved the section since it was loaded, and their answers differ from these."""

    def __init__(self, current, differences):
        self.current = current  # the BidSection as it is now, with updated_by
        self.differences = differences
        super().__init__(f"{current.get_section_display()} was changed by someone else")


def editing_refusal(bid, now=None):
    """Why this bid cannot be changed now, as a sentence for the council; "" if it can."""
    if bid.state != BidState.DRAFT:
        return f"{bid.reference} is {bid.get_state_display().lower()}, so it can no longer be changed."
    now = now or timezone.now()
    if not deadlines.is_open_for(bid.funding_round, bid.authority, now):
        closes = deadlines.closes_at_for(bid.funding_round, bid.authority)
        if now < bid.funding_round.opens_at:
            return f"{bid.funding_round.name} is not open yet, so the bid cannot be changed."
        return (
            f"The deadline for {bid.funding_round.name} was {london(closes)}. "
            "You can still read your draft, but it can no longer be changed or submitted."
        )
    return ""


def submit(bid, actor, now=None):
    """Submit the expression of interest, with the declaration that it is correct and that
    the person is authorised to submit it. Refused as the workflow's submit guard says."""
    with workflow.transition(bid, "submit", actor, expected_state=BidState.DRAFT, now=now) as change:
        change.record.declaration_confirmed = True
        change.record.save(update_fields=["declaration_confirmed"])
    return change.record


def lock_for_editing(bid, now=None):
    """Lock the bid's row for this transaction and return it, or raise DraftingError."""
    locked = Bid.objects.select_for_update().select_related("funding_round", "authority").get(pk=bid.pk)
    refusal = editing_refusal(locked, now)
    if refusal:
        raise DraftingError(refusal)
    return locked


def save_section(bid, section, actor, *, loaded_version, changes=None, scopes=None, completed=None, now=None):
    """Save one page of a section: `changes` are Bid fields, `scopes` the ServiceScopes chosen.

    Returns the saved BidSection. Raises SectionConflict if, since `loaded_version`, a
    colleague changed any of these answers to something other than what was typed here.
    """
    now = now or timezone.now()
    changes = dict(changes or {})
    overrides = dict(changes)
    if scopes is not None:
        overrides["service_scopes"] = list(scopes)
    with transaction.atomic():
        locked = lock_for_editing(bid, now)
        row = BidSection.objects.select_related("updated_by").get(bid=locked, section=section)
        before = _answers(locked, section)
        if row.version != loaded_version:
            differences = _differences(
                locked, section, loaded_version, before, _answers(locked, section, overrides)
            )
            if differences:
                raise SectionConflict(row, differences)
        for field, value in changes.items():
            setattr(locked, field, value)
        Bid.objects.filter(pk=locked.pk).update(**changes, updated_by=actor, updated_at=now)
        if scopes is not None:
            locked.service_scopes.set(scopes)
        return _bump(locked, section, actor, now, row, before, completed=completed, overrides=overrides)


def set_section_completed(bid, section, actor, completed, now=None):
    """Answer "Have you completed this section?".

    Not checked against the version the page was loaded at: marking a section complete
    overwrites none of a colleague's answers, and whether the answers are complete is
    checked when the question is answered.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_for_editing(bid, now)
        Bid.objects.filter(pk=locked.pk).update(updated_by=actor, updated_at=now)
        row = BidSection.objects.get(bid=locked, section=section)
        return _bump(locked, section, actor, now, row, _answers(locked, section), completed=completed)


def reopen_section(bid, section):
    """A completed section whose answers are no longer complete goes back to "In progress"."""
    return BidSection.objects.filter(bid=bid, section=section, completed=True).update(completed=False)


def record_section_change(locked, section, actor, now, before, *, reopen=False):
    """Note a change made outside a section form (a document added or removed): new
    version, fresh snapshot, who and when. The caller holds the bid's lock and read
    `before` (the section's answers) before making the change."""
    Bid.objects.filter(pk=locked.pk).update(updated_by=actor, updated_at=now)
    row = BidSection.objects.get(bid=locked, section=section)
    return _bump(locked, section, actor, now, row, before, completed=False if reopen else None)


def section_snapshot(bid, section):
    """The section's answers as saved, keyed as in snapshots; read before changing them."""
    return _answers(bid, section)


def _answers(bid, section, overrides=None):
    return {answer.field: answer.text for answer in section_answers(bid, section, overrides)}


def _bump(locked, section, actor, now, row, before, *, completed=None, overrides=None):
    """Move the section to its next version: snapshot, who, when, and an EDITED event that
    records which answers this version changed, so later saves know what moved under them.
    The section's first save and the first time it is completed are kept, for how long
    sections take (insights/queries.py)."""
    snapshot = _answers(locked, section, overrides)
    changed = sorted(key for key in set(before) | set(snapshot) if before.get(key) != snapshot.get(key))
    fields = {
        "version": F("version") + 1,
        "snapshot": snapshot,
        "updated_by": actor,
        "updated_at": now,
        "started_at": Coalesce("started_at", Value(now, output_field=DateTimeField())),
    }
    if completed is not None:
        fields["completed"] = completed
    if completed:
        fields["completed_at"] = Coalesce("completed_at", Value(now, output_field=DateTimeField()))
    updated = BidSection.objects.filter(pk=row.pk, version=row.version).update(**fields)
    if not updated:
        # Only reachable where the database does not honour the row lock (SQLite): a
        # colleague's save landed between our read and our write. Refuse rather than guess.
        current = BidSection.objects.select_related("updated_by").get(pk=row.pk)
        mine = _answers(locked, section, overrides)
        raise SectionConflict(current, _differences(locked, section, row.version, before, mine))
    BidEvent.objects.create(
        bid=locked,
        kind=EventKind.EDITED,
        actor=actor,
        detail={"section": str(section), "version": row.version + 1, "changed": changed},
        shown_to_council=True,
        created_at=now,
    )
    return BidSection.objects.select_related("updated_by").get(pk=row.pk)


def changed_since(bid, section, version):
    """The answers (snapshot keys) colleagues changed in the section after `version`."""
    keys = set()
    details = BidEvent.objects.filter(
        bid=bid, kind=EventKind.EDITED, detail__section=str(section), detail__version__gt=version
    ).values_list("detail", flat=True)
    for detail in details:
        keys.update(detail.get("changed", []))
    return keys


def _differences(locked, section, loaded_version, theirs, mine):
    """Answers a colleague changed since this person loaded the page that now differ from
    what this person typed: (label, their saved answer, your answer)."""
    moved = changed_since(locked, section, loaded_version)
    labels = {answer.field: answer.label for answer in section_answers(locked, section)}
    return [
        Difference(key, labels.get(key, key), theirs.get(key, ""), mine.get(key, ""))
        for key in mine
        if key in moved and key in theirs and theirs.get(key, "") != mine.get(key, "")
    ]


# Partners -----------------------------------------------------------------------------


def add_partner(bid, actor, values, now=None):
    """Add a partner agency. Adding overwrites nothing, so it needs no version check."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_for_editing(bid, now)
        before = _answers(locked, Section.PARTNERS)
        partner = Partner.objects.create(
            bid=locked, added_by=actor, added_at=now, **{f: values[f] for f in PARTNER_FIELDS}
        )
        record_section_change(locked, Section.PARTNERS, actor, now, before)
    return partner


def change_partner(bid, pk, actor, values, *, loaded_version, now=None):
    """Change one partner. Refused with the differences if a colleague changed this partner
    since the page was loaded and it now reads differently from what was typed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_for_editing(bid, now)
        partner = Partner.objects.select_for_update().get(bid=locked, pk=pk)
        row = BidSection.objects.select_related("updated_by").get(bid=locked, section=Section.PARTNERS)
        if row.version != loaded_version and f"partner-{pk}" in changed_since(
            locked, Section.PARTNERS, loaded_version
        ):
            theirs = partner_answers({f: getattr(partner, f) for f in PARTNER_FIELDS})
            differences = [
                Difference(mine.field, mine.label, saved.text, mine.text)
                for saved, mine in zip(theirs, partner_answers(values), strict=True)
                if saved.text != mine.text
            ]
            if differences:
                raise SectionConflict(row, differences)
        before = _answers(locked, Section.PARTNERS)
        for field in PARTNER_FIELDS:
            setattr(partner, field, values[field])
        partner.save(update_fields=PARTNER_FIELDS)
        reopen = row.completed and bool(missing_core_sectors(locked))
        record_section_change(locked, Section.PARTNERS, actor, now, before, reopen=reopen)
    return partner


def remove_partner(bid, pk, actor, now=None):
    """Remove one partner. If that leaves a core sector uncovered the section is reopened."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_for_editing(bid, now)
        partner = Partner.objects.filter(bid=locked, pk=pk).first()
        if partner is None:
            return None
        before = _answers(locked, Section.PARTNERS)
        partner.delete()
        row = BidSection.objects.get(bid=locked, section=Section.PARTNERS)
        reopen = row.completed and bool(missing_core_sectors(locked))
        record_section_change(locked, Section.PARTNERS, actor, now, before, reopen=reopen)
    return partner


# The task list ------------------------------------------------------------------------

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    status: str
    row: BidSection


def section_statuses(bid):
    """Each section's status for the task list, in order. Expects sections (with
    updated_by), partners, documents and service_scopes prefetched."""
    rows = {row.section: row for row in bid.sections.all()}
    statuses = []
    for section in Section:
        row = rows.get(section.value) or BidSection(bid=bid, section=section)
        if row.completed:
            status = COMPLETED
        elif row.version or has_answers(bid, section):
            status = IN_PROGRESS
        else:
            status = NOT_STARTED
        statuses.append(SectionStatus(section, status, row))
    return statuses
