"""Property-based tests of the decision (hypothesis)."""

import dataclasses

from conftest import decision as d
from hypothesis import given
from hypothesis import strategies as st

amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))
positive = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))
thresholds = st.one_of(st.none(), st.floats(min_value=1, max_value=1000, allow_nan=False))

policies = st.builds(
    d.Policy,
    enabled=st.just(True),
    over_limit=st.booleans(),
    overdue=st.booleans(),
    limit_basis=st.sampled_from(d.LIMIT_BASES),
    default_threshold=st.floats(min_value=1, max_value=1000, allow_nan=False),
    warning_percent=st.floats(min_value=1, max_value=100, allow_nan=False),
    grace_days=st.integers(min_value=0, max_value=365),
    overdue_min_amount=positive,
)


def figures(hold_type=None, credit_limit=None):
    return st.builds(
        d.Figures,
        hold_type=st.sampled_from(d.HOLD_TYPES) if hold_type is None else hold_type,
        credit_limit=positive if credit_limit is None else credit_limit,
        threshold=thresholds,
        total_balance=amounts,
        uninvoiced=positive,
        overdue_amount=positive,
        overdue_count=st.integers(min_value=0, max_value=50),
        awaiting_first_payment=st.booleans(),
    )


@given(policies, figures(hold_type=st.just("enforced_on")))
def test_enforced_on_always_wins(policy, fig):
    assert d.decide(policy, fig).on_hold


@given(policies, figures(hold_type=st.just("enforced_off")))
def test_enforced_off_always_wins(policy, fig):
    assert not d.decide(policy, fig).on_hold


@given(policies, figures(), st.booleans())
def test_disabled_never_holds(policy, fig, _):
    off = dataclasses.replace(policy, enabled=False)
    assert not d.decide(off, fig).on_hold


limits = st.floats(min_value=0.01, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


@given(policies, figures(hold_type=st.just("automatic"), credit_limit=limits), positive)
def test_raising_the_limit_never_puts_on_hold(policy, fig, raise_by):
    """From one limit to a higher one (going from no limit to one is not raising)."""
    before = d.decide(policy, fig)
    raised = dataclasses.replace(fig, credit_limit=fig.credit_limit + raise_by)
    after = d.decide(policy, raised)
    if not before.on_hold:
        assert not after.on_hold
    # and it never adds a reason
    assert set(after.reasons) <= set(before.reasons)


@given(policies, figures(hold_type=st.just("automatic")))
def test_on_hold_iff_a_reason(policy, fig):
    result = d.decide(policy, fig)
    assert result.on_hold == bool(result.reasons)
    assert list(result.reasons) == sorted(result.reasons, key=d.REASON_ORDER.index)


@given(policies, figures(hold_type=st.just("automatic")), positive)
def test_paying_never_puts_on_hold(policy, fig, paid):
    """A receipt lowers the balance; it can only take a hold off."""
    before = d.decide(policy, fig)
    after = d.decide(policy, dataclasses.replace(fig, total_balance=fig.total_balance - paid))
    if not before.on_hold:
        assert not after.on_hold


@given(policies, figures(), positive)
def test_a_document_never_lowers_what_is_compared(policy, fig, amount):
    # checking a document can only add to what the customer would owe
    alone = d.decide(policy, fig)
    with_document = d.decide(policy, fig, document_amount=amount)
    assert with_document.compared_amount >= round(fig.total_balance, policy.digits) - 10**-policy.digits
    if alone.on_hold and d.REASON_OVER_LIMIT not in alone.reasons:
        assert with_document.on_hold


nonnegative = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))


@given(policies, figures(), nonnegative)
def test_on_hold_alone_implies_on_hold_with_the_document(policy, fig, document):
    fig = dataclasses.replace(fig, total_balance=abs(fig.total_balance))
    if d.decide(policy, fig).on_hold:
        assert d.decide(policy, fig, document_amount=document).on_hold


@given(policies, figures())
def test_over_the_limit_implies_a_warning(policy, fig):
    decision = d.decide(policy, fig)
    if d.REASON_OVER_LIMIT in decision.reasons:
        assert decision.warning


@given(
    policies,
    figures(hold_type=st.just("automatic"), credit_limit=limits),
    st.floats(min_value=1, max_value=1000, allow_nan=False),
    st.floats(min_value=0, max_value=1000, allow_nan=False),
)
def test_a_higher_threshold_never_holds_more(policy, fig, threshold, more):
    lower = d.decide(policy, dataclasses.replace(fig, threshold=threshold))
    higher = d.decide(policy, dataclasses.replace(fig, threshold=threshold + more))
    if higher.on_hold:
        assert lower.on_hold


@given(policies, figures())
def test_a_rule_switched_off_never_gives_its_reason(policy, fig):
    """Each company switch tested off: the overdue rule off never holds for
    overdue invoices, the over-limit rule off never for the limit."""
    no_overdue = d.decide(dataclasses.replace(policy, overdue=False), dataclasses.replace(fig, overdue_count=3))
    assert d.REASON_OVERDUE not in no_overdue.reasons
    no_limit = d.decide(dataclasses.replace(policy, over_limit=False), fig)
    assert d.REASON_OVER_LIMIT not in no_limit.reasons
