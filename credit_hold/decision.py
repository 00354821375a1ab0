# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The credit-hold decision, in plain Python (no Odoo import).

Every rule that decides whether a customer is on hold lives here, once (see
``credit_hold/readme/CONTEXT.md``: R1, R2, R4-R9, R14, R19). The Odoo models gather the
figures of a whole batch of customers with set-based queries, build one
:class:`Figures` per customer and call :func:`decide`; they never re-implement
a rule.

All amounts are in the currency of the company being evaluated and are
expected to be already rounded to that currency (see ``digits``).
"""

from dataclasses import dataclass, field
from datetime import timedelta

HOLD_TYPES = ("automatic", "enforced_on", "enforced_off")
LIMIT_BASES = ("balance", "exposure")

#: Reason codes: stored on customers and documents, never translated.
REASON_ENFORCED = "enforced"
REASON_OVER_LIMIT = "over_limit"
REASON_OVERDUE = "overdue"
REASON_NEW_CUSTOMER = "new_customer"
REASON_BLOCKED = "blocked"
#: The order in which reasons are reported and stored.
REASON_ORDER = (REASON_ENFORCED, REASON_BLOCKED, REASON_NEW_CUSTOMER, REASON_OVER_LIMIT, REASON_OVERDUE)

#: What the amount compared with the limit is made of (R4, R6).
BASIS_BALANCE = "balance"
BASIS_EXPOSURE = "exposure"
BASIS_DOCUMENT = "document"  # exposure plus the document being checked

#: Bounds of the per-customer / default threshold, in percent (R5).
THRESHOLD_MIN_EXCLUSIVE = 0.0
THRESHOLD_MAX = 1000.0


@dataclass(frozen=True)
class Policy:
    """A company's credit-hold settings (res.company fields ``credit_hold_*``)."""

    enabled: bool = False
    over_limit: bool = True
    overdue: bool = True
    limit_basis: str = BASIS_BALANCE
    default_threshold: float = 100.0
    warning_percent: float = 90.0
    grace_days: int = 0
    overdue_min_amount: float = 0.0
    digits: int = 2

    def __post_init__(self):
        if self.limit_basis not in LIMIT_BASES:
            raise ValueError(f"limit_basis must be one of {LIMIT_BASES}, got {self.limit_basis!r}")
        if not THRESHOLD_MIN_EXCLUSIVE < self.default_threshold <= THRESHOLD_MAX:
            raise ValueError("default_threshold must be > 0 and <= 1000")
        if not 1 <= self.warning_percent <= 100:
            raise ValueError("warning_percent must be between 1 and 100")
        if self.grace_days < 0:
            raise ValueError("grace_days must be >= 0")
        if self.overdue_min_amount < 0:
            raise ValueError("overdue_min_amount must be >= 0")


# Figures and Decision are created once per customer by the nightly pass
# (100,000s of them): plain slotted dataclasses.
@dataclass(slots=True)
class Figures:
    """What is known of one customer in one company.

    ``threshold`` of ``None`` (or 0) means the company default.
    ``uninvoiced`` is the amount of confirmed sales not yet invoiced (R4);
    ``overdue_amount`` and ``overdue_count`` are the figures of R7, already
    restricted to lines past :func:`overdue_cutoff`.
    """

    hold_type: str = "automatic"
    credit_limit: float = 0.0
    threshold: float | None = None
    total_balance: float = 0.0
    uninvoiced: float = 0.0
    overdue_amount: float = 0.0
    overdue_count: int = 0
    awaiting_first_payment: bool = False

    def __post_init__(self):
        if self.hold_type not in HOLD_TYPES:
            raise ValueError(f"hold_type must be one of {HOLD_TYPES}, got {self.hold_type!r}")


@dataclass(slots=True)
class Decision:
    """The outcome for one customer (or one document): hold or not, and why."""

    on_hold: bool
    warning: bool
    reasons: tuple = field(default_factory=tuple)
    effective_limit: float | None = None
    compared_amount: float = 0.0
    basis: str = BASIS_BALANCE
    exposure: float = 0.0
    overdue_amount: float = 0.0
    overdue_count: int = 0

    @property
    def available_credit(self):
        """What is left before the effective limit (None without a limit)."""
        if self.effective_limit is None:
            return None
        return self.effective_limit - self.compared_amount

    def reason_entries(self):
        """The reasons with the figures that explain them, as stored on held
        documents and rendered in the reader's language:
        ``[{"code": ..., "figures": {...}}, ...]``."""
        entries = []
        for code in self.reasons:
            figures = {}
            if code == REASON_OVER_LIMIT:
                figures = {"basis": self.basis, "amount": self.compared_amount, "limit": self.effective_limit}
            elif code == REASON_OVERDUE:
                figures = {"amount": self.overdue_amount, "count": self.overdue_count}
            entries.append({"code": code, "figures": figures})
        return entries


def overdue_cutoff(today, grace_days):
    """First due date that is NOT overdue yet.

    A line is overdue when ``due date + grace days < today`` (R7), that is
    when ``due date < today - grace days``.
    """
    if grace_days < 0:
        raise ValueError("grace_days must be >= 0")
    return today - timedelta(days=grace_days)


def effective_limit(credit_limit, threshold, default_threshold=100.0):
    """R5: credit limit x threshold / 100, or None when there is no limit."""
    if not credit_limit or credit_limit <= 0:
        return None
    pct = threshold if threshold else default_threshold
    return credit_limit * pct / 100.0


def limit_in_force(credit_limit, temp_limit, temp_limit_end, today):
    """R5 (temporary limit): the credit limit that applies on ``today``. A
    temporary limit replaces the permanent one until the day before its end
    date; on the end date (excluded) and after it the permanent limit applies
    again. The threshold applies on top of whichever limit is in force.

    :param float credit_limit: the permanent limit (0: none)
    :param float temp_limit: the temporary limit (0 or None: none)
    :param datetime.date temp_limit_end: its end date, excluded (None: none)
    :param datetime.date today: the day of the decision
    """
    if temp_limit and temp_limit > 0 and temp_limit_end and today < temp_limit_end:
        return temp_limit
    return credit_limit or 0.0


def codes_to_text(codes):
    """Reason codes as stored: comma-separated, in :data:`REASON_ORDER`
    (codes added by other modules follow, sorted). False when empty."""
    codes = set(codes)
    known = [code for code in REASON_ORDER if code in codes]
    return ",".join(known + sorted(codes - set(known))) or False


def text_to_codes(text):
    """The codes of a stored value (see :func:`codes_to_text`)."""
    return tuple(code for code in (text or "").split(",") if code)


def _ge(a, b, digits):
    """a >= b at the currency precision (no float noise at the boundary)."""
    return round(a - b, digits) >= 0


def decide(policy, figures, document_amount=None):
    """Decide whether one customer is on hold (R1, R2, R4-R9, R14, R19).

    :param Policy policy: the company's settings
    :param Figures figures: the customer's figures in that company
    :param float document_amount: when a document is checked ("would this
        order take the customer over the limit?"), its amount: the customer's
        exposure plus this amount is compared with the limit, whatever the
        company's basis (R4)
    :rtype: Decision
    """
    digits = policy.digits
    exposure = round(figures.total_balance + figures.uninvoiced, digits)
    if document_amount is not None:
        basis, compared = BASIS_DOCUMENT, exposure + document_amount
    elif policy.limit_basis == BASIS_EXPOSURE:
        basis, compared = BASIS_EXPOSURE, exposure
    else:
        basis, compared = BASIS_BALANCE, figures.total_balance
    compared = round(compared, digits)
    limit = effective_limit(figures.credit_limit, figures.threshold, policy.default_threshold)
    # Unallocated credits (payments on account, credit notes) are netted
    # against what is overdue: the customer cannot owe more than its balance.
    overdue_amount = round(max(0.0, min(figures.overdue_amount, figures.total_balance)), digits)

    over_limit = limit is not None and _ge(compared, limit, digits)
    overdue = overdue_amount > 0 and _ge(overdue_amount, policy.overdue_min_amount, digits)
    warning = limit is not None and _ge(compared, limit * policy.warning_percent / 100.0, digits)

    reasons = ()
    if policy.enabled:
        if figures.hold_type == "enforced_on":
            reasons = (REASON_ENFORCED,)
        elif figures.hold_type == "automatic":
            found = []
            if figures.awaiting_first_payment:
                found.append(REASON_NEW_CUSTOMER)
            if policy.over_limit and over_limit:
                found.append(REASON_OVER_LIMIT)
            if policy.overdue and overdue:
                found.append(REASON_OVERDUE)
            reasons = tuple(found)
    return Decision(
        on_hold=bool(reasons),
        warning=warning,
        reasons=reasons,
        effective_limit=limit,
        compared_amount=compared,
        basis=basis,
        exposure=exposure,
        overdue_amount=overdue_amount,
        overdue_count=figures.overdue_count if overdue_amount > 0 else 0,
    )
