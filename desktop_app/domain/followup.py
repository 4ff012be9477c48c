"""The follow-up (dunning) ladder: stages as data, and the day's plan as a pure function.

``plan_for(items, policy, as_of)`` looks at each open installment as it stands and says which
stage is due today. It reads no clock and no database, so the same books and the same day
always give the same plan, a re-run is harmless (done stages are in ``done``), and a replay of
a whole season with ``as_of`` is exact.

The escalation level belongs to the installment (a deposit may be at ``reminder_2`` while the
final 40 % is not yet due). When days were skipped, only the most advanced stage due goes out
and the ones it jumped are reported as skipped (the customer never gets three letters on one
morning). Seeds 000-004 give the default ladder (DOMAIN.md, "Follow-up policy").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.interest import InterestRate, accrued_interest_minor, first_interest_day
from desktop_app.domain.money import ZERO
from desktop_app.domain.parties import CONTACT_ROLES
from desktop_app.messages import N_, Word

CHANNELS = ("email", "letter", "call", "task")
ATTACHMENTS = ("invoice", "letter")  # what an email of the stage carries as PDF
ANCHORS = ("due", "issue", "sent")
PROMISE_GRACE_DAYS = 2  # a promise pauses reminders until its date plus this: money sent on
#                        the promised day takes a day or two to arrive
MAX_OFFSET_DAYS = 3650
RECEIPT_CHECK_DAYS = 3  # the default receipt check: this many days after the invoice went out


@dataclass(frozen=True, slots=True)
class Stage:
    """One rung of the ladder.

    ``offset_days`` counts from the installment's due date (negative: before it), or from the
    issue date when ``anchor`` is ``issue`` (the invoice itself going out), or from the day
    the invoice actually went out when ``anchor`` is ``sent`` (asking whether it arrived).
    ``cost_minor`` is what the user says carrying the step out costs them (postage, an
    agency's fee); a balance below it makes the plan suggest a write-off instead (chasing
    stops where it loses money).
    """

    name: str
    offset_days: int
    channels: tuple[str, ...]
    to_roles: tuple[str, ...] = ("billing",)
    cc_roles: tuple[str, ...] = ()
    template: str = ""
    fee: bool = False
    interest: bool = False
    hold_customer: bool = False
    stop_work: bool = False
    dossier: bool = False
    anchor: str = "due"
    cost_minor: int = 0
    attach: tuple[str, ...] = ()

    @property
    def template_name(self) -> str:
        return self.template or self.name

    def day(self, *, issue: date, due: date) -> date:
        """When the stage falls due for an installment issued (for a ``sent`` stage: sent)
        and due on these days."""
        return (due if self.anchor == "due" else issue) + timedelta(days=self.offset_days)

    @property
    def courtesy(self) -> bool:
        """Before or on the due day: a friendly note, not a reminder of a debt."""
        return self.anchor == "due" and self.offset_days <= 0


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    stages: tuple[Stage, ...]
    # Derived once: the plan asks for these for every open installment of the book.
    ladder: tuple[Stage, ...] = field(init=False, repr=False, compare=False)
    on_issue: Stage | None = field(init=False, repr=False, compare=False)
    ranks: Mapping[str, int] = field(init=False, repr=False, compare=False)
    first_reminder: Stage | None = field(init=False, repr=False, compare=False)
    on_receipt: Stage | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ladder = tuple(s for s in self.stages if s.anchor == "due")
        object.__setattr__(self, "ladder", ladder)
        object.__setattr__(self, "on_issue",
                           next((s for s in self.stages if s.anchor == "issue"), None))
        object.__setattr__(self, "ranks", {s.name: k for k, s in enumerate(ladder, start=1)})
        object.__setattr__(self, "on_receipt",
                           next((s for s in self.stages if s.anchor == "sent"), None))
        # The first written reminder: never passed over, and the ladder's spacing counts
        # from the day it actually went out.
        object.__setattr__(self, "first_reminder", next(
            (s for s in ladder if not s.courtesy and {"email", "letter"} & set(s.channels)),
            None))
        validate_policy(self)

    def stage(self, name: str) -> Stage:
        for s in self.stages:
            if s.name == name:
                return s
        raise ValidationError("stage", N_("'{stage}' is not a stage of the policy '{policy}'"),
                              stage=name, policy=self.name)

    def rank(self, name: str) -> int:
        """Position on the ladder (the issue stage ranks below every ladder stage)."""
        return self.ranks.get(name, 0)


def validate_policy(policy: Policy) -> None:
    if not policy.name.strip():
        raise ValidationError("policy name", N_("must not be empty"))
    if not policy.stages:
        raise ValidationError("stages", N_("a policy needs at least one stage"))
    names = [s.name for s in policy.stages]
    for stage in policy.stages:
        field_ = f"stage {stage.name or '?'}"
        if not stage.name.strip() or not stage.name.replace("_", "").isalnum():
            raise ValidationError(field_, N_("needs a name of letters, digits and _"))
        if names.count(stage.name) > 1:
            raise ValidationError(field_, N_("appears twice"))
        if not stage.channels:
            raise ValidationError(f"{field_} channels", N_("name at least one channel"))
        for channel in stage.channels:
            if channel not in CHANNELS:
                raise ValidationError(f"{field_} channels",
                                      N_("'{value}' is not one of {choices}"), value=channel,
                                      choices=", ".join(CHANNELS))
        for role in (*stage.to_roles, *stage.cc_roles):
            if role not in CONTACT_ROLES:
                raise ValidationError(f"{field_} roles",
                                      N_("'{value}' is not one of {choices}"), value=role,
                                      choices=", ".join(CONTACT_ROLES))
        if stage.anchor not in ANCHORS:
            raise ValidationError(f"{field_} anchor", N_("'{anchor}' is not due or issue"),
                                  anchor=stage.anchor)
        if abs(stage.offset_days) > MAX_OFFSET_DAYS:
            raise ValidationError(f"{field_} offset", N_("must be within ten years"))
        if stage.anchor == "issue" and stage.offset_days < 0:
            raise ValidationError(f"{field_} offset",
                                  N_("cannot be before the invoice is issued"))
        if stage.anchor == "sent" and stage.offset_days < 1:
            raise ValidationError(f"{field_} offset",
                                  N_("asks about receipt at least a day after the invoice "
                                     "went out"))
        if stage.anchor == "sent" and not {"email", "call", "task"} & set(stage.channels):
            raise ValidationError(f"{field_} channels",
                                  N_("asks about receipt by email, call or task, not by "
                                     "letter"))
        for kind in stage.attach:
            if kind not in ATTACHMENTS:
                raise ValidationError(f"{field_} attach",
                                      N_("'{value}' is not one of {choices}"), value=kind,
                                      choices=", ".join(ATTACHMENTS))
        if stage.cost_minor < 0:
            raise ValidationError(f"{field_} cost", N_("must not be negative"))
    if sum(1 for s in policy.stages if s.anchor == "issue") > 1:
        raise ValidationError("stages", N_("only one stage can go out on issue"))
    if sum(1 for s in policy.stages if s.anchor == "sent") > 1:
        raise ValidationError("stages",
                              N_("only one stage can ask whether the invoice arrived"))
    offsets = [s.offset_days for s in policy.ladder]
    if offsets != sorted(offsets):
        raise ValidationError("stages",
                              N_("stages must be in order of their days from the due date"))


StageData = TypeVar("StageData", bound=Mapping[str, Any])
ANCHOR_ORDER = {"issue": 0, "sent": 1}  # the stages counted from other days than the due date


def in_ladder_order(stages: Sequence[StageData]) -> list[StageData]:
    """Stages as a policy runs them: the one that goes out on issue first, then the one that
    asks whether the invoice arrived, then by days from the due date (equal days keep their
    order). A ladder out of this order is refused."""
    def position(stage: StageData) -> tuple[int, int]:
        offset = stage.get("offset_days", 0)
        return (ANCHOR_ORDER.get(stage.get("anchor", "due"), len(ANCHOR_ORDER)),
                offset if isinstance(offset, int) else 0)
    return sorted(stages, key=position)


# What carrying a step out costs the business, in minor units of its currency: a printed
# letter with postage, a registered final notice, an hour of calling, and the fee a
# collection agency or lawyer asks to take a claim on (chasing stops where it loses money). They
# are the default policy's; the user sees and changes them with the policy.
STANDARD_COSTS: Mapping[str, tuple[int, int, int, int]] = {
    # currency: (letter, registered letter, an hour of calling, handover)
    "EUR": (1_50, 4_00, 30_00, 50_00),
    "GBP": (1_50, 4_00, 25_00, 50_00),
    "CHF": (2_00, 6_00, 45_00, 80_00),
    "USD": (1_50, 9_00, 35_00, 75_00),
    "RUB": (100_00, 300_00, 500_00, 5_000_00),
    "CNY": (10_00, 30_00, 100_00, 500_00),
    "TWD": (30_00, 60_00, 400_00, 2_000_00),
    "JPY": (150, 500, 3_000, 10_000),
}


def standard_policy(currency: str = "EUR") -> Policy:
    """The default ladder (DOMAIN.md) with the costs of its steps in ``currency``; other
    currencies get the euro figures in their own unit, for the user to adjust."""
    letter, registered, call, handover = STANDARD_COSTS.get(currency.upper(),
                                                            STANDARD_COSTS["EUR"])
    return Policy("Standard", (
        Stage("invoice", 0, ("email",), anchor="issue", attach=("invoice",)),
        # Seed 003: a few days after sending, confirm the customer received the invoice.
        Stage("receipt", RECEIPT_CHECK_DAYS, ("email", "call"), anchor="sent"),
        Stage("upcoming", -7, ("email",)),
        Stage("due", 0, ("email",)),
        Stage("reminder_1", 5, ("email", "letter"), attach=("invoice",), cost_minor=letter),
        Stage("call", 8, ("call",), to_roles=("accounts_payable",), cost_minor=call),
        Stage("reminder_2", 14, ("email", "letter"),
              cc_roles=("accounts_payable", "sales_rep"), fee=True, interest=True,
              attach=("letter",), cost_minor=letter),
        Stage("final_notice", 30, ("email", "letter"),
              cc_roles=("accounts_payable", "sales_rep", "executive"), fee=True, interest=True,
              hold_customer=True, stop_work=True, attach=("letter",), cost_minor=registered),
        Stage("handover", 45, ("letter", "task"), cc_roles=("executive",), interest=True,
              dossier=True, cost_minor=handover),
    ))


DEFAULT_POLICY = standard_policy("EUR")


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    return {"name": policy.name, "stages": [asdict(s) for s in policy.stages]}


def policy_from_dict(data: Mapping[str, Any]) -> Policy:
    known = set(Stage.__dataclass_fields__)
    stages = []
    for raw in data.get("stages", []):
        unknown = set(raw) - known
        if unknown:
            raise ValidationError("stages", N_("unknown setting {setting}"),
                                  setting=repr(sorted(unknown)[0]))
        values = dict(raw)
        for key in ("channels", "to_roles", "cc_roles", "attach"):
            if key in values:
                values[key] = tuple(values[key])
        stages.append(Stage(**values))
    return Policy(str(data.get("name", "")), tuple(stages))


def policy_to_json(policy: Policy) -> str:
    return json.dumps(policy_to_dict(policy), ensure_ascii=False, sort_keys=True)


def policy_from_json(text: str) -> Policy:
    return policy_from_dict(json.loads(text))


# --- the state of one installment, as the books say ------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemState:
    """One open installment and everything the ladder needs to know about it.

    ``done``: the stages recorded (done or skipped); ``channels_done`` the channels a done
    stage went out on (a stage may go by email now and by letter later);
    ``last_recorded_on``: the day of the latest record. ``invoice_sent_on``: when the invoice
    itself went out (or was passed over). ``reachable``: the channels this customer can be
    reached on (no email address: no email). ``paused_until``: an open promise holds
    reminders up to and including this day. ``escalate_from``: a broken promise or payment
    plan makes the next stage due at once from this day (unless a stage was recorded since).
    ``floor``: a stage already reached on the debt this installment took over (a payment
    plan), so the ladder continues above it. ``plan_active``: a payment plan is being kept,
    so only courtesy stages apply; ``plan_broken``: it was not, so no friendly notes either.
    ``settlements``: money, discounts and write-offs by the day they count from (interest
    accrues on each day's balance).
    """

    installment_id: int
    invoice_id: int
    customer_id: int
    issue_date: date
    due_date: date
    open_minor: int
    first_of_invoice: bool = True
    done: frozenset[str] = frozenset()
    channels_done: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    last_recorded_on: date | None = None
    invoice_sent_on: date | None = None
    reachable: tuple[str, ...] = CHANNELS
    held: bool = False
    paused_until: date | None = None
    escalate_from: date | None = None
    floor: str | None = None
    plan_active: bool = False
    late_fee_minor: int = 0
    interest_rate: Decimal | InterestRate = ZERO  # a year, fixed or changing (statutory)
    grace_days: int = 0
    interest_charged_minor: int = 0
    settlements: tuple[tuple[date, int], ...] = ()  # what reduced the debt, on which day
    sent_on: Mapping[str, date] = field(default_factory=dict)  # stage -> day it went out
    fee_rule: str = "per_reminder"  # domain.terms.FEE_RULES
    invoice_fee_charged: bool = False  # a fee stands on the invoice already
    approved: frozenset[str] = frozenset()  # stages a person chose to take despite the cost
    plan_broken: bool = False  # a payment plan this installment belongs to was broken
    receipt_recorded: bool = False  # the customer confirmed the invoice arrived
    prefers_call: bool = False  # the customer is asked about receipt by phone, not by email


@dataclass(frozen=True, slots=True)
class Action:
    """A stage due today for one installment, on the channels still to use, with what to ask
    for. Fee and interest are charged when a stage is first carried out, never again; who
    carries a reminder's fee is settled over the day's actions (``claim_fees``)."""

    installment_id: int
    invoice_id: int
    customer_id: int
    stage: str
    channels: tuple[str, ...]
    due_date: date
    days_late: int
    open_minor: int
    fee_minor: int = 0
    interest_minor: int = 0
    skipped: tuple[str, ...] = ()
    suggest_write_off: bool = False  # costs more than it can bring: held for a decision
    with_invoice: bool = False  # the invoice never went out: it goes with this reminder
    fresh: bool = True  # the stage's first carrying out (False: a channel left over)
    fee_covers: tuple[int, ...] = ()  # set on the action that carries its reminder's fee

    @property
    def total_minor(self) -> int:
        return self.open_minor + self.fee_minor + self.interest_minor

    def only(self, channels: Iterable[str]) -> Action | None:
        """The same action on fewer channels (one click on Today), or None if none is left.
        (The wanted channels are read once: a generator is used up after one look, which
        once left a stage with email and letter without its letter when mail was not set
        up.)"""
        wanted = set(channels)
        keep = tuple(c for c in self.channels if c in wanted)
        return replace(self, channels=keep) if keep else None


def scheduled_on(stage: Stage, item: ItemState) -> date:
    return stage.day(issue=item.issue_date, due=item.due_date)


def interest_to_date_minor(item: ItemState, as_of: date) -> int:
    """Interest accrued so far on each day's balance, less what earlier stages already
    charged: never twice."""
    principal = item.open_minor + sum(minor for _, minor in item.settlements)
    total = accrued_interest_minor(principal, item.settlements, item.interest_rate,
                                   first_interest_day(item.due_date, item.grace_days), as_of)
    return max(total - item.interest_charged_minor, 0)


def usable_channels(stage: Stage, item: ItemState) -> tuple[str, ...]:
    """The stage's channels this customer can be reached on. An invoice that cannot be
    emailed is printed and posted instead; a courtesy email that cannot go simply doesn't.
    Whether the invoice arrived is asked once, one way: by phone for a customer who prefers
    it (or has no email address), else by the stage's first other channel."""
    if item.reachable == CHANNELS and stage.anchor != "sent":  # most customers, asked for
        return stage.channels  # every stage of every item
    usable = tuple(c for c in stage.channels if c in item.reachable)
    if stage.anchor == "sent" and usable:
        calls = tuple(c for c in usable if c == "call")
        others = tuple(c for c in usable if c != "call")
        return calls[:1] if calls and (item.prefers_call or not others) else others[:1]
    if stage.anchor == "issue" and "email" in stage.channels and "email" not in usable \
            and "letter" in item.reachable and "letter" not in usable:
        usable = (*usable, "letter")
    return usable


def _reminded(item: ItemState, policy: Policy) -> bool:
    """Whether the customer has had a written reminder about this installment (or about
    the debt a payment plan took over)."""
    first = policy.first_reminder
    if first is None:
        return True
    rank = policy.rank(first.name)
    if item.floor is not None and policy.rank(item.floor) >= rank:
        return True
    return any(policy.rank(name) >= rank and {"email", "letter"} & set(used)
               for name, used in item.channels_done.items())


def _spacing_from(item: ItemState, policy: Policy) -> tuple[int, date] | None:
    """The first reminder's rank and the day it actually went out, if it did: a stage after
    it comes no sooner after that day than the ladder spaces them, so a customer first
    reminded late (runs were skipped) gets the same cadence, later, not a firmer letter the
    next morning."""
    first = policy.first_reminder
    if first is None:
        return None
    sent = item.sent_on.get(first.name)
    return None if sent is None else (policy.rank(first.name), sent - timedelta(
        days=first.offset_days))


def _due_ladder_stages(item: ItemState, policy: Policy, as_of: date) -> list[Stage]:
    """Ladder stages above the level reached whose day has come, in order."""
    # A call made on its own (``call_aside``) does not lift the ladder over the written
    # reminders still to come.
    reached = max((policy.rank(name) for name in item.done
                   if not _by_call_alone(item, name)), default=0)
    floor = policy.rank(item.floor) if item.floor else 0
    on_issue = policy.on_issue
    invoice_pending = on_issue is not None and usable_channels(on_issue, item) != ()
    sent = item.invoice_sent_on
    last = item.last_recorded_on
    escalate = item.escalate_from is not None and item.escalate_from <= as_of and (
        last is None or last < item.escalate_from)
    spacing = _spacing_from(item, policy)
    due: list[Stage] = []
    for rank, stage in enumerate(policy.ladder, start=1):
        if rank <= reached or (rank <= floor and not stage.courtesy) or stage.name in item.done:
            continue
        if not usable_channels(stage, item):
            continue
        when = scheduled_on(stage, item)
        if spacing is not None and rank > spacing[0]:
            when = max(when, spacing[1] + timedelta(days=stage.offset_days))
        if stage.courtesy:
            # A friendly heads-up waits for the invoice itself and is pointless once the
            # invoice has said as much; while a plan is kept only friendly notes go out, and
            # once it is broken not even those.
            if sent is None and invoice_pending:
                continue
            if sent is not None and when <= sent:
                continue
            if item.plan_broken:
                continue
        elif item.plan_active:
            continue
        if when <= as_of or (escalate and not due):
            due.append(stage)
    return due


def receipt_check_window(policy: Policy, *, sent: date, due: date) -> tuple[date, date] | None:
    """The days on which to ask whether an invoice sent on ``sent`` arrived: from the
    receipt stage's day up to the day before the ladder's first stage (or the due day),
    so the question goes "well before it is due" and never beside a reminder. None when
    the policy does not ask or the invoice is due too soon for the question to help."""
    stage = policy.on_receipt
    if stage is None:
        return None
    first = stage.day(issue=sent, due=due)
    ladder_start = min([due, *(s.day(issue=sent, due=due) for s in policy.ladder[:1])])
    last = ladder_start - timedelta(days=1)
    return (first, last) if first <= last else None


def receipt_check_due(item: ItemState, policy: Policy, as_of: date) -> bool:
    """Whether to ask today if the invoice arrived: once per invoice (its first open
    installment), only after it really went out, only while receipt is not recorded."""
    stage = policy.on_receipt
    if stage is None or not item.first_of_invoice or item.receipt_recorded \
            or item.invoice_sent_on is None or stage.name in item.done \
            or not usable_channels(stage, item) or item.plan_active or item.plan_broken:
        return False
    window = receipt_check_window(policy, sent=item.invoice_sent_on, due=item.due_date)
    return window is not None and window[0] <= as_of <= window[1]


def _pending(item: ItemState, policy: Policy) -> tuple[Stage, tuple[str, ...]] | None:
    """The channels of the last stage carried out that are still to use, if any."""
    known = [name for name in item.done if name in policy.ranks or (
        policy.on_issue is not None and name == policy.on_issue.name)]
    if not known:
        return None
    top = max(known, key=policy.rank)
    if top not in item.channels_done:
        return None
    stage = policy.stage(top)
    left = tuple(c for c in usable_channels(stage, item) if c not in item.channels_done[top])
    return (stage, left) if left else None


def plan_item(item: ItemState, policy: Policy, as_of: date) -> Action | None:
    """What is due today for one installment, if anything.

    When runs were skipped, repeated reminders collapse into the most advanced one due, but
    the first written reminder is never passed over (the customer hears from us before a
    firmer step), and an invoice that never went out goes with the first message that
    reminds of it: no customer's first message may read "Second reminder ... despite our
    earlier reminder", with a fee and no invoice.
    """
    if item.open_minor <= 0 or item.held:
        return None
    if item.paused_until is not None and as_of <= item.paused_until:
        return None
    ladder_due = _due_ladder_stages(item, policy, as_of)
    first = policy.first_reminder
    if first is not None and first in ladder_due and not _reminded(item, policy):
        ladder_due = ladder_due[:ladder_due.index(first) + 1]
    on_issue = policy.on_issue
    invoice_due = (on_issue is not None and item.first_of_invoice
                   and on_issue.name not in item.done and usable_channels(on_issue, item) != ()
                   and scheduled_on(on_issue, item) <= as_of)
    reminder_due = any(not s.courtesy for s in ladder_due)
    if invoice_due and (not reminder_due or not {"email", "letter"} & set(
            usable_channels(ladder_due[-1], item))):
        # The invoice goes out first; courtesy notes due the same day wait for it (and then
        # fall away). An overdue invoice instead goes with its first reminder.
        assert on_issue is not None
        return _action(item, on_issue, as_of, ())
    if not ladder_due and receipt_check_due(item, policy, as_of):
        assert policy.on_receipt is not None
        return _action(item, policy.on_receipt, as_of, ())
    if ladder_due:
        target = ladder_due[-1]
        aside = _call_stage_aside(item, policy, as_of)
        skipped = tuple(s.name for s in ladder_due[:-1] if s is not aside)
        return _action(item, target, as_of, skipped, with_invoice=invoice_due)
    pending = _pending(item, policy)
    if pending is None:
        return None
    stage, channels = pending
    return replace(_action(item, stage, as_of, ()), channels=channels, fee_minor=0,
                   interest_minor=0, suggest_write_off=False, fresh=False)


def _by_call_alone(item: ItemState, name: str) -> bool:
    used = item.channels_done.get(name, ())
    return bool(used) and set(used) <= {"call"}


def _call_stage_aside(item: ItemState, policy: Policy, as_of: date) -> Stage | None:
    """The latest call stage whose day has come and that was neither carried out nor passed
    over, if no call was made since its day."""
    if item.open_minor <= 0 or item.held or item.plan_active or (
            item.paused_until is not None and as_of <= item.paused_until):
        return None
    floor = policy.rank(item.floor) if item.floor else 0
    due = [stage for rank, stage in enumerate(policy.ladder, start=1)
           if rank > floor and stage.name not in item.done and "call" in stage.channels
           and "call" in usable_channels(stage, item) and scheduled_on(stage, item) <= as_of]
    if not due:
        return None
    stage = due[-1]
    made = [item.sent_on[name] for name, used in item.channels_done.items()
            if "call" in used and name in item.sent_on]
    return stage if not made or max(made) < scheduled_on(stage, item) else None


def call_aside(item: ItemState, policy: Policy, as_of: date, main: Action | None
               ) -> Action | None:
    """A call whose day has come while the ladder holds back (the first written reminder has
    not gone out: a user without a mail account meets this) or passes over it (runs were
    skipped): each channel stands on its own, and a phone call is not a firmer letter, so it
    is on the day's list beside the written reminder, as its own stage, once."""
    if main is not None and "call" in main.channels:
        return None
    stage = _call_stage_aside(item, policy, as_of)
    if stage is None or (main is not None and main.stage == stage.name):
        return None
    return Action(
        installment_id=item.installment_id, invoice_id=item.invoice_id,
        customer_id=item.customer_id, stage=stage.name, channels=("call",),
        due_date=item.due_date, days_late=max((as_of - item.due_date).days, 0),
        open_minor=item.open_minor, fresh=False)


def _action(item: ItemState, stage: Stage, as_of: date, skipped: tuple[str, ...], *,
            with_invoice: bool = False) -> Action:
    interest = interest_to_date_minor(item, as_of) if stage.interest else 0
    fee = item.late_fee_minor if stage.fee else 0
    worth = item.open_minor + fee + interest
    return Action(
        installment_id=item.installment_id, invoice_id=item.invoice_id,
        customer_id=item.customer_id, stage=stage.name, channels=usable_channels(stage, item),
        due_date=item.due_date, days_late=max((as_of - item.due_date).days, 0),
        open_minor=item.open_minor, fee_minor=fee, interest_minor=interest, skipped=skipped,
        # Seed 001, know when to quit: a step that costs more than it can bring waits for a
        # person to write the balance off or to take the step all the same.
        suggest_write_off=worth < stage.cost_minor and stage.name not in item.approved,
        with_invoice=with_invoice,
    )


def claim_fees(actions: Sequence[Action], items: Mapping[int, ItemState],
               policies: Mapping[int, Policy] | Policy) -> list[Action]:
    """Who carries the reminder fee of the actions carried out together, by the invoice's
    fee rule (``terms.FEE_RULES``): ``per_reminder``, one fee for all that a customer's
    reminder names; ``per_invoice``, one for each invoice it names; ``once_per_invoice``,
    one for the invoice's first reminder that charges a fee, none after (a combined reminder
    under "per reminder" terms charges one fee, not one per invoice). The most
    overdue installment carries the fee; the others it covers are named with it."""
    groups: dict[tuple[int, ...], list[Action]] = {}
    for action in actions:
        item = items[action.installment_id]
        policy = policies if isinstance(policies, Policy) else policies[action.customer_id]
        if not action.fresh or not policy.stage(action.stage).fee or item.late_fee_minor <= 0:
            continue
        key = (action.customer_id,) if item.fee_rule == "per_reminder" else (
            action.customer_id, action.invoice_id, 0)
        groups.setdefault(key, []).append(action)
    # Keyed by installment and stage: a call aside (``call_aside``) goes beside the written
    # reminder of the same installment and carries no fee of its own.
    carriers: dict[tuple[int, str], tuple[int, tuple[int, ...]]] = {}
    for group in groups.values():
        carrier = min(group, key=lambda a: (a.due_date, a.installment_id))
        item = items[carrier.installment_id]
        fee = 0 if item.fee_rule == "once_per_invoice" and item.invoice_fee_charged \
            else item.late_fee_minor
        carriers[carrier.installment_id, carrier.stage] = (
            fee, tuple(a.installment_id for a in group))
    out = []
    for action in actions:
        if (action.installment_id, action.stage) in carriers:
            fee, covers = carriers[action.installment_id, action.stage]
            out.append(replace(action, fee_minor=fee, fee_covers=covers))
        elif action.fee_minor or action.fee_covers:
            out.append(replace(action, fee_minor=0, fee_covers=()))
        else:
            out.append(action)
    return out


def plan_for(items: Iterable[ItemState], policies: Mapping[int, Policy] | Policy,
             as_of: date) -> list[Action]:
    """The day's actions over the whole book; ``policies`` maps customer id to its policy
    (customers without an entry are exempt) or is one policy for everyone."""
    actions = []
    for item in items:
        policy = policies if isinstance(policies, Policy) else policies.get(item.customer_id)
        if policy is None:
            continue
        action = plan_item(item, policy, as_of)
        if action is not None:
            actions.append(action)
        aside = call_aside(item, policy, as_of, action)
        if aside is not None:
            actions.append(aside)
    return actions


def record(item: ItemState, action: Action, as_of: date, policy: Policy) -> ItemState:
    """The item after an action was carried out: the skipped stages and the target's
    channels recorded. The services do this in the database; this version lets property
    tests run whole seasons without one. Recording anything twice is refused."""
    done = set(item.done)
    channels_done = dict(item.channels_done)
    for name in action.skipped:
        if name in done:
            raise ValidationError("stage", N_("'{stage}' was already recorded"), stage=name)
        done.add(name)
    before = channels_done.get(action.stage, ())
    if set(before) & set(action.channels) or (action.stage in done and not before):
        raise ValidationError("stage", N_("'{stage}' was already carried out that way"),
                              stage=action.stage)
    done.add(action.stage)
    channels_done[action.stage] = (*before, *action.channels)
    sent_on = dict(item.sent_on)
    sent_on.setdefault(action.stage, as_of)
    on_issue = policy.on_issue.name if policy.on_issue else None
    if action.with_invoice and on_issue is not None:
        done.add(on_issue)
        channels_done[on_issue] = action.channels
        sent_on.setdefault(on_issue, as_of)
    sent = item.invoice_sent_on
    if sent is None and (on_issue in (action.stage, *action.skipped) or action.with_invoice):
        sent = as_of
    return replace(item, done=frozenset(done), channels_done=channels_done,
                   last_recorded_on=as_of, invoice_sent_on=sent, sent_on=sent_on,
                   interest_charged_minor=item.interest_charged_minor + action.interest_minor,
                   invoice_fee_charged=item.invoice_fee_charged or action.fee_minor > 0)


def reminders_before(policy: Policy, stage: str,
                     records: Iterable[tuple[str, date, Collection[str]]]
                     ) -> list[tuple[str, date]]:
    """The written reminders a customer actually received before a message of ``stage``,
    oldest first, from what was carried out (stage, day, channels): the first written
    reminder and every stage after it that went out by email or letter, each on the first
    day it did; stages passed over, calls and ``stage`` itself are not among them (a
    letter thanks only for a reminder that was received)."""
    first = policy.first_reminder
    floor = policy.rank(first.name) if first else 1
    sent: dict[str, date] = {}
    for name, day, channels in records:
        if name != stage and policy.rank(name) >= floor and {"email", "letter"} & set(
                channels) and (name not in sent or day < sent[name]):
            sent[name] = day
    return sorted(sent.items(), key=lambda pair: (pair[1], policy.rank(pair[0])))


# --- grouping: one message per customer and channel --------------------------------------------


@dataclass(frozen=True, slots=True)
class Batch:
    """The actions of one customer that go out together on one channel (one email, one
    letter), in the tone of the most advanced stage among them."""

    customer_id: int
    channel: str
    stage: str
    actions: tuple[Action, ...]

    @property
    def fee_minor(self) -> int:
        return sum(a.fee_minor for a in self.actions)


def batches(actions: Sequence[Action], policies: Mapping[int, Policy] | Policy
            ) -> list[Batch]:
    """Group actions by customer and channel; calls and tasks stay one per installment."""
    grouped: dict[tuple[int, str], list[Action]] = {}
    singles: list[Batch] = []
    for action in actions:
        for channel in action.channels:
            if channel in ("call", "task"):
                singles.append(Batch(action.customer_id, channel, action.stage, (action,)))
            else:
                grouped.setdefault((action.customer_id, channel), []).append(action)
    out = []
    for (customer_id, channel), group in grouped.items():
        policy = policies if isinstance(policies, Policy) else policies[customer_id]
        # The invoice stage and the receipt question are documents of their own, never
        # folded into a reminder.
        by_kind: dict[str, list[Action]] = {}
        for action in group:
            by_kind.setdefault(action.stage if policy.rank(action.stage) == 0 else "",
                               []).append(action)
        for kind_actions in by_kind.values():
            top = max(kind_actions, key=lambda a: policy.rank(a.stage))
            ordered = tuple(sorted(kind_actions, key=lambda a: (a.due_date, a.installment_id)))
            out.append(Batch(customer_id, channel, top.stage, ordered))
    return sorted(out + singles, key=lambda b: (b.customer_id, b.channel, b.stage))


# --- promises and payment plans: kept or broken ------------------------------------------------


def promise_outcome(*, promised_for: date, amount_minor: int | None, made_on: date,
                    payments: Iterable[tuple[date, int]], open_minor: int, as_of: date) -> str:
    """``kept`` once the promised money came in (all of it, when no amount was named),
    ``broken`` when the date plus grace passed without it, else ``open`` (a broken promise
    puts the customer on cash only)."""
    last_day = promised_for + timedelta(days=PROMISE_GRACE_DAYS)
    paid = sum(minor for day, minor in payments if made_on <= day <= last_day)
    if (amount_minor is None and open_minor <= 0) or (
            amount_minor is not None and paid >= amount_minor):
        return "kept"
    return "broken" if as_of > last_day else "open"


# A promise's status as a refusal names it ("promise 4 is kept, not broken").
_PROMISE_WORDS = {"open": N_("pending"), "kept": N_("kept"), "broken": N_("broken"),
                  "closed": N_("closed")}


def promise_word(status: str) -> Word:
    return Word(_PROMISE_WORDS.get(status, status))


def promise_broken_on(promised_for: date) -> date:
    return promised_for + timedelta(days=PROMISE_GRACE_DAYS + 1)


def plan_missed_on(installments: Iterable[tuple[date, int]], grace_days: int, as_of: date
                   ) -> date | None:
    """The day a payment plan broke: the first installment still open after its due date
    plus the plan's grace; None while every installment is met."""
    missed = [due + timedelta(days=grace_days + 1) for due, open_minor in installments
              if open_minor > 0 and due + timedelta(days=grace_days) < as_of]
    return min(missed, default=None)


# --- the quick test: could anything be due today? ---------------------------------------------


@dataclass(frozen=True, slots=True)
class DayCutoffs:
    """For one policy and day: the latest due (or issue) date on which each ladder stage
    (and the invoice stage) has come. Offsets only grow along the ladder, so if the next
    stage has not come, no later one has either."""

    ladder: tuple[date, ...]
    on_issue: date | None
    on_receipt: date = date.min  # the latest issue day whose receipt question may have come
    receipt_due_after: date = date.max  # ... and the due days after which it has not gone

    @classmethod
    def of(cls, policy: Policy, as_of: date) -> DayCutoffs:
        ladder = tuple(as_of - timedelta(days=s.offset_days) for s in policy.ladder)
        # The question goes before the ladder's first stage and before the due day.
        return cls(ladder, as_of - timedelta(days=policy.on_issue.offset_days)
                   if policy.on_issue else None,
                   as_of - timedelta(days=policy.on_receipt.offset_days)
                   if policy.on_receipt else date.min, max(as_of, *ladder[:1]))


def may_act(policy: Policy, cuts: DayCutoffs, *, done: Collection[str],
            channels_done: Mapping[str, tuple[str, ...]], due: date, issue: date,
            first_of_invoice: bool) -> bool:
    """False only when ``plan_item`` would surely find nothing today, for an installment
    with no promise, plan, hold or escalation (those are always looked at in full). Lets
    the plan over a big book skip the many installments whose next stage is still ahead."""
    reached = max((policy.ranks.get(name, 0) for name in done), default=0)
    if reached < len(policy.ladder) and due <= cuts.ladder[reached]:
        return True
    on_issue = policy.on_issue
    if on_issue is not None and cuts.on_issue is not None and first_of_invoice \
            and on_issue.name not in done and issue <= cuts.on_issue:
        return True
    receipt = policy.on_receipt
    if receipt is not None and first_of_invoice and receipt.name not in done \
            and issue <= cuts.on_receipt and due > cuts.receipt_due_after:
        return True  # the invoice went out on or after its issue day
    known = [n for n in done if n in policy.ranks or (on_issue is not None
                                                       and n == on_issue.name)]
    if not known:
        return False
    top = max(known, key=policy.rank)
    return top in channels_done and not set(policy.stage(top).channels) <= set(
        channels_done[top])
