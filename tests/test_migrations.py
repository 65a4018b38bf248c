"""The committed migrations describe the models exactly, so a fresh database matches the code."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"A model change has no migration (exit {exit.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


# Moving a model keeps its rows --------------------------------------------------------

BEFORE_THE_MOVE = [
    ("trusts", "0005_export_progressed_at"),
    ("accounts", "0002_initial"),
    ("bids", "0003_pilot_round_2003"),
]
AFTER_THE_MOVE = [("trusts", "0008_let_go_of_reference_data")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moving_reference_data_to_its_own_app_keeps_every_row(migrator):
    """A database made before local authorities and service scopes left trusts for the
    reference app (by `make run`, with a bid and an award entered) comes through with every
    row and every link: the users', bids', conflicts', extensions' and trusts' authorities
    and the bids' and trusts' service scopes."""
    old = migrator.apply_initial_migration(BEFORE_THE_MOVE)
    Authority = old.apps.get_model("trusts", "LocalAuthority")
    Scope = old.apps.get_model("trusts", "ServiceScope")
    User = old.apps.get_model("accounts", "User")
    Round = old.apps.get_model("bids", "FundingRound")
    Bid = old.apps.get_model("bids", "Bid")
    Award = old.apps.get_model("trusts", "FundingAward")
    Trust = old.apps.get_model("trusts", "Trust")
    Conflict = old.apps.get_model("bids", "ConflictOfInterest")
    Extension = old.apps.get_model("bids", "DeadlineExtension")
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="trusts", model="localauthority")
    authorities, scopes = Authority.objects.count(), Scope.objects.count()
    kent = Authority.objects.get(code="KEN")
    chosen = list(Scope.objects.filter(allowed=True).order_by("pk")[:2])
    officer = User.objects.create(
        email="officer@kent.example", full_name="K", role="council", local_authority=kent
    )
    lead = User.objects.create(email="lead@doh.example", full_name="L", role="lead")
    assessor = User.objects.create(email="a@doh.example", full_name="A", role="assessor")
    pilots = Round.objects.get(slug="pilots-2003")
    bid = Bid.objects.create(
        funding_round=pilots, authority=kent, reference="CTP-2003-KEN", created_by=officer
    )
    bid.service_scopes.set(chosen)
    Conflict.objects.create(assessor=assessor, authority=kent, reason="R", declared_by=assessor)
    Extension.objects.create(
        funding_round=pilots, authority=kent, closes_at=pilots.closes_at, reason="R", granted_by=lead
    )
    award = Award.objects.create(bid=bid, base_amount=60000, supplement_amount=40000, offered_by=lead)
    trust = Trust.objects.create(
        award=award, authority=kent, name="Kent Children's Trust", operational_on=pilots.operational_on
    )
    trust.service_scopes.set(chosen)

    new = migrator.apply_tested_migration(AFTER_THE_MOVE)
    Authority = new.apps.get_model("reference", "LocalAuthority")
    assert Authority.objects.count() == authorities
    assert new.apps.get_model("reference", "ServiceScope").objects.count() == scopes
    kent = Authority.objects.get(code="KEN")
    chosen_pks = {scope.pk for scope in chosen}
    assert (
        new.apps.get_model("accounts", "User").objects.get(email="officer@kent.example").local_authority
        == kent
    )
    bid = new.apps.get_model("bids", "Bid").objects.get(reference="CTP-2003-KEN")
    assert bid.authority == kent
    assert {scope.pk for scope in bid.service_scopes.all()} == chosen_pks
    assert new.apps.get_model("bids", "ConflictOfInterest").objects.get().authority == kent
    assert new.apps.get_model("bids", "DeadlineExtension").objects.get().authority == kent
    trust = new.apps.get_model("trusts", "Trust").objects.get()
    assert trust.authority == kent and trust.award.total == 100000
    assert {scope.pk for scope in trust.service_scopes.all()} == chosen_pks
    # Admin history and permissions follow the models to their new app.
    ContentType = new.apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="reference", model="localauthority").exists()
    assert not ContentType.objects.filter(app_label="trusts", model="localauthority").exists()


# Round set-up and history ---------------------------------------------------------------

BEFORE_SET_UP = [("bids", "0004_reference_data_in_reference"), ("accounts", "0005_second_factor")]
AFTER_SET_UP = [("bids", "0006_retention"), ("accounts", "0007_retention")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rounds_made_before_set_up_stay_live_and_start_their_history(migrator):
    """Rounds from before drafts existed were all live: they come through published (as of
    when they were made), their default criteria gain what each score means, and every
    round, criterion, conflict and person starts a History from where it stands."""
    migrator.apply_initial_migration(BEFORE_SET_UP)
    # The broad plan applies accounts' later migrations too (they come earlier in it):
    # take them back off so the people are made before their history starts.
    old = migrator.apply_tested_migration(BEFORE_SET_UP)
    assert "HistoricalUser" not in {model.__name__ for model in old.apps.get_models()}
    Round = old.apps.get_model("bids", "FundingRound")
    User = old.apps.get_model("accounts", "User")
    Authority = old.apps.get_model("reference", "LocalAuthority")
    pilots = Round.objects.get(slug="pilots-2003")
    criteria = pilots.criteria.count()
    assessor = User.objects.create(email="a@doh.example", full_name="A", role="assessor")
    old.apps.get_model("bids", "ConflictOfInterest").objects.create(
        assessor=assessor, authority=Authority.objects.get(code="KEN"), reason="R", declared_by=assessor
    )

    new = migrator.apply_tested_migration(AFTER_SET_UP)
    Round = new.apps.get_model("bids", "FundingRound")
    pilots = Round.objects.get(slug="pilots-2003")
    assert pilots.published_at == pilots.created_at
    joint = pilots.criteria.get(name__startswith="Joint working")
    assert joint.level_0.startswith("No joint working") and joint.level_4
    assert pilots.min_assessors == 2
    history = "history begins"
    for model_name, count in [("FundingRound", 1), ("Criterion", criteria), ("ConflictOfInterest", 1)]:
        records = new.apps.get_model("bids", f"Historical{model_name}").objects.all()
        assert records.count() == count and {r.history_change_reason.lower() for r in records} == {history}
    person = new.apps.get_model("accounts", "HistoricalUser").objects.get(email="a@doh.example")
    assert person.history_type == "+" and person.history_change_reason.lower() == history
    User = new.apps.get_model("accounts", "User")
    assert User.objects.get(email="a@doh.example").anonymised_at is None


BEFORE_SCHEDULES = [("trusts", "0011_due_diligence"), ("bids", "0007_round_pilot_months")]
AFTER_SCHEDULES = [("trusts", "0013_schedules_for_existing_awards")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_awards_made_before_payment_schedules_carry_their_terms_and_payments_forward(migrator):
    """Each award made before agreements and instalments existed takes its round's grant terms
    and a payment schedule; an award already paid in one payment has that payment as one
    paid instalment of its whole amount, with its date and reference."""
    old = migrator.apply_initial_migration(BEFORE_SCHEDULES)
    User = old.apps.get_model("accounts", "User")
    Authority = old.apps.get_model("reference", "LocalAuthority")
    Round = old.apps.get_model("bids", "FundingRound")
    Bid = old.apps.get_model("bids", "Bid")
    Award = old.apps.get_model("trusts", "FundingAward")
    lead = User.objects.create(email="lead@doh.example", full_name="L", role="lead")
    pilots = Round.objects.get(slug="pilots-2003")
    made = {}
    for code, state, supplement in [
        ("KEN", "paid", 40000),
        ("LDS", "conditions_met", 25000),
        ("NFK", "offered", 0),
    ]:
        authority = Authority.objects.get(code=code)
        officer = User.objects.create(
            email=f"{code}@council.example", full_name=code, role="council", local_authority=authority
        )
        bid = Bid.objects.create(
            funding_round=pilots, authority=authority, reference=f"CTP-2003-{code}", created_by=officer
        )
        made[code] = Award.objects.create(
            bid=bid,
            base_amount=60000,
            supplement_amount=supplement,
            state=state,
            offered_by=lead,
            paid_by=lead if state == "paid" else None,
            paid_at=pilots.closes_at if state == "paid" else None,
            paid_on=pilots.decision_on if state == "paid" else None,
            payment_reference="DH-PAY-2003-0142" if state == "paid" else "",
        )

    new = migrator.apply_tested_migration(AFTER_SCHEDULES)
    Award = new.apps.get_model("trusts", "FundingAward")
    Round = new.apps.get_model("bids", "FundingRound")
    terms = Round.objects.get(slug="pilots-2003").grant_terms
    schedules = {
        award.bid.authority.code: [
            (i.number, int(i.amount), i.trigger, i.state, i.paid_on, i.payment_reference)
            for i in award.instalments.order_by("number")
        ]
        for award in Award.objects.select_related("bid__authority")
    }
    assert {award.terms for award in Award.objects.all()} == {terms}
    assert schedules == {
        "KEN": [(1, 100000, "conditions_met", "paid", pilots.decision_on, "DH-PAY-2003-0142")],
        "LDS": [
            (1, 60000, "conditions_met", "scheduled", None, ""),
            (2, 25000, "first_return", "scheduled", None, ""),
        ],
        "NFK": [(1, 60000, "conditions_met", "scheduled", None, "")],
    }


BEFORE_ADDRESS = [("bids", "0009_bid_postal_address")]
AFTER_ADDRESS = [("bids", "0010_reopen_contacts_without_an_address")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_draft_bids_whose_contacts_were_completed_without_an_address_are_asked_for_it(migrator):
    old = migrator.apply_initial_migration(BEFORE_ADDRESS)
    User = old.apps.get_model("accounts", "User")
    Authority = old.apps.get_model("reference", "LocalAuthority")
    Round = old.apps.get_model("bids", "FundingRound")
    Bid = old.apps.get_model("bids", "Bid")
    Section = old.apps.get_model("bids", "BidSection")
    pilots = Round.objects.get(slug="pilots-2003")
    made = {}
    for code, state, address in [
        ("KEN", "draft", ""),
        ("LDS", "draft", "Civic Hall, Leeds LS1 1UR"),
        ("NFK", "submitted", ""),
    ]:
        authority = Authority.objects.get(code=code)
        officer = User.objects.create(
            email=f"{code}@council.example", full_name=code, role="council", local_authority=authority
        )
        bid = Bid.objects.create(
            funding_round=pilots,
            authority=authority,
            reference=f"CTP-2003-{code}",
            created_by=officer,
            state=state,
            postal_address=address,
        )
        made[code] = Section.objects.create(bid=bid, section="contacts", completed=True).pk

    new = migrator.apply_tested_migration(AFTER_ADDRESS)
    Section = new.apps.get_model("bids", "BidSection")
    completed = {code: Section.objects.get(pk=pk).completed for code, pk in made.items()}
    # Only the draft without an address is reopened; a submitted bid is left as it was sent.
    assert completed == {"KEN": False, "LDS": True, "NFK": True}
