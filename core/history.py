"""Who changed what, when, from what to what: the History lists on a round's and a person's
pages, read from django-simple-history's records.

A model opts in with `history = HistoricalRecords(...)` (and a migration that starts its
history from the rows already there); a page asks `entries(...)` for the records of the
objects it shows and draws them with templates/includes/history.html.

The entries are worked out from the records alone, in order, each against the one before
it for the same object, so a page costs one query for the records and one per kind of
related object named in them, however long the history.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils import timezone

from .london import london, long_date
from .money import money
from .views import pagination

PER_PAGE = 20

WHAT_HAPPENED = {"+": "Created", "~": "Changed", "-": "Deleted"}
STARTED = "History begins"  # the record a migration made of a row that was already there
NOTHING = "Not set"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime
    who: str
    what: str  # Created, Changed, Deleted
    subject: str  # which object, where a list mixes several ("Criterion: Governance")
    reason: str = ""
    changes: list = field(default_factory=list)


def entries(records, *, subject=None, fields=None, money_fields=()):
    """History entries, newest first, for historical records of one model (a queryset or
    list, any order). `subject(record)` names the object where a list holds several;
    `fields` limits and orders what is compared (default: every tracked field);
    `money_fields` are shown as pounds. Saves that changed none of the fields are left out."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    if not records:
        return []
    model = records[0].instance_type
    compared = [
        f for f in model._meta.concrete_fields if f.name in _tracked(records[0]) and not f.primary_key
    ]
    if fields is not None:
        by_name = {f.name: f for f in compared}
        compared = [by_name[name] for name in fields if name in by_name]
    names = _related_names(records, compared)
    people = _people(records)

    def shown(record, model_field):
        value = getattr(record, model_field.attname)
        if value is None or value == "":
            return NOTHING
        if model_field.is_relation:
            return names.get((model_field.related_model, value), f"#{value}")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.name in money_fields:
            return money(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime):
            return london(value)
        if isinstance(value, date):
            return long_date(value)
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        if isinstance(value, list | dict):
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        return str(value)

    result, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None or record.history_type != "~":
            # A creation, a deletion or the start of the history: the record's own page shows
            # what it holds; the list says that it happened, who did it and why.
            what = STARTED if record.history_change_reason == STARTED else WHAT_HAPPENED[record.history_type]
            changes = []
        else:
            what = WHAT_HAPPENED["~"]
            changes = [
                Change(f.verbose_name.capitalize(), shown(before, f), shown(record, f))
                for f in compared
                if getattr(before, f.attname) != getattr(record, f.attname)
            ]
            if not changes:
                continue
        result.append(
            Entry(
                when=record.history_date,
                who=people.get(record.history_user_id, "The service"),
                what=what,
                subject=subject(record) if subject else "",
                reason=""
                if record.history_change_reason == STARTED
                else (record.history_change_reason or ""),
                changes=changes,
            )
        )
    result.reverse()
    return result


def paged(request, history):
    """A page of history entries for templates/includes/history.html, paged with its own
    `history` parameter so it sits beside another list."""
    page = Paginator(history, PER_PAGE).get_page(request.GET.get("history"))
    return {"history": page, "history_pages": pagination(page, request.GET, "history", "history")}


def _tracked(record):
    return {f.name for f in record.instance_type._meta.concrete_fields} & {
        f.name for f in type(record)._meta.concrete_fields
    }


def _related_names(records, compared):
    """One query per related model: the names of the objects the records point at."""
    names = {}
    for model_field in compared:
        if not model_field.is_relation:
            continue
        ids = {getattr(r, model_field.attname) for r in records} - {None}
        related = model_field.related_model
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def _people(records):
    ids = {r.history_user_id for r in records} - {None}
    if not ids:
        return {}
    user_model = type(records[0])._meta.get_field("history_user").related_model
    return {person.pk: person.full_name or person.email for person in user_model.objects.filter(pk__in=ids)}


def start_history(apps, schema_editor, app_label, model_name):
    """For a migration: one record of each row as it stands when its history begins, so the
    first change shows what it changed from."""
    model = apps.get_model(app_label, model_name)
    historical = apps.get_model(app_label, f"Historical{model_name}")
    copied = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
    now = timezone.now()
    rows = []
    for row in model._default_manager.using(schema_editor.connection.alias).iterator(chunk_size=2000):
        values = {name: getattr(row, name) for name in copied if hasattr(row, name)}
        rows.append(historical(**values, history_date=now, history_type="+", history_change_reason=STARTED))
    historical._default_manager.using(schema_editor.connection.alias).bulk_create(rows, batch_size=2000)
