"""Rules R5-R9 of credit_hold/readme/CONTEXT.md and their boundaries (no Odoo)."""

from datetime import date

import pytest
from conftest import decision as d
from freezegun import freeze_time

ON = d.Policy(enabled=True, over_limit=True, overdue=True)

# The truth table of R8 (credit_hold/readme/CONTEXT.md), row by row:
# (over-limit setting, overdue setting, balance over limit, invoice overdue, on hold)
ZUMZUM_TABLE = [
    (False, False, False, False, False),
    (False, False, False, False, False),
    (False, False, True, False, False),
    (False, False, True, False, False),
    (True, False, False, False, False),
    (True, False, False, False, False),
    (True, False, True, False, True),
    (True, False, True, False, True),
    (False, True, False, False, False),
    (False, True, False, False, False),
    (False, True, True, False, False),
    (False, True, True, False, False),
    (True, True, False, False, False),
    (True, True, True, False, True),
    (True, True, False, True, True),
    (True, True, True, True, True),
]


@pytest.mark.parametrize("row", range(len(ZUMZUM_TABLE)))
def test_zumzum_truth_table(row):
    over_setting, overdue_setting, over_limit, overdue, expected = ZUMZUM_TABLE[row]
    policy = d.Policy(enabled=True, over_limit=over_setting, overdue=overdue_setting)
    figures = d.Figures(
        credit_limit=1000.0,
        total_balance=1500.0 if over_limit else 500.0,
        overdue_amount=400.0 if overdue else 0.0,
        overdue_count=1 if overdue else 0,
    )
    result = d.decide(policy, figures)
    assert result.on_hold is expected
    if expected:
        assert result.reasons
    else:
        assert result.reasons == ()


def test_overdue_setting_alone_holds_on_overdue():
    # The table's overdue-only rows never have an overdue invoice; the rule does.
    policy = d.Policy(enabled=True, over_limit=False, overdue=True)
    result = d.decide(policy, d.Figures(total_balance=10.0, overdue_amount=10.0, overdue_count=1))
    assert result.on_hold and result.reasons == (d.REASON_OVERDUE,)


def test_reasons_are_all_recorded_in_order():
    result = d.decide(ON, d.Figures(credit_limit=100.0, total_balance=200.0, overdue_amount=50.0, overdue_count=2))
    assert result.reasons == (d.REASON_OVER_LIMIT, d.REASON_OVERDUE)
    assert result.overdue_count == 2


class TestThreshold:
    """R5: a limit of 5000 with a threshold of 90 % and of 120 %."""

    def test_90_percent_limits_at_4500(self):
        figures = d.Figures(credit_limit=5000.0, threshold=90.0, total_balance=4500.0)
        result = d.decide(ON, figures)
        assert result.effective_limit == pytest.approx(4500.0)
        assert result.on_hold
        below = d.decide(ON, d.Figures(credit_limit=5000.0, threshold=90.0, total_balance=4499.99))
        assert not below.on_hold

    def test_120_percent_is_a_buffer_up_to_6000(self):
        over_nominal = d.Figures(credit_limit=5000.0, threshold=120.0, total_balance=5000.01)
        result = d.decide(ON, over_nominal)
        assert result.effective_limit == pytest.approx(6000.0)
        assert not result.on_hold
        assert not result.warning  # 5000.01 < 90 % of 6000
        assert d.decide(ON, d.Figures(credit_limit=5000.0, threshold=120.0, total_balance=5400.0)).warning
        at_buffer = d.decide(ON, d.Figures(credit_limit=5000.0, threshold=120.0, total_balance=6000.0))
        assert at_buffer.on_hold

    def test_default_threshold_applies_when_empty(self):
        policy = d.Policy(enabled=True, default_threshold=80.0)
        assert d.decide(policy, d.Figures(credit_limit=1000.0, total_balance=800.0)).on_hold
        assert not d.decide(policy, d.Figures(credit_limit=1000.0, threshold=100.0, total_balance=800.0)).on_hold


class TestBoundaries:
    def test_equal_to_limit_is_on_hold(self):
        assert d.decide(ON, d.Figures(credit_limit=1000.0, total_balance=1000.0)).on_hold

    def test_one_cent_below_is_not(self):
        assert not d.decide(ON, d.Figures(credit_limit=1000.0, total_balance=999.99)).on_hold

    def test_float_noise_at_the_boundary(self):
        # 0.1 + 0.2 style noise must not decide a hold
        assert d.decide(ON, d.Figures(credit_limit=0.3, total_balance=0.1 + 0.2)).on_hold
        assert d.decide(ON, d.Figures(credit_limit=1000.0, total_balance=999.995 + 0.005)).on_hold

    def test_no_limit_never_over_limit(self):
        result = d.decide(ON, d.Figures(credit_limit=0.0, total_balance=10**9))
        assert not result.on_hold and result.effective_limit is None and not result.warning

    def test_warning_at_percent_of_effective_limit(self):
        policy = d.Policy(enabled=True, warning_percent=90.0)
        assert d.decide(policy, d.Figures(credit_limit=1000.0, total_balance=900.0)).warning
        result = d.decide(policy, d.Figures(credit_limit=1000.0, total_balance=899.99))
        assert not result.warning and not result.on_hold

    def test_exposure_basis_adds_uninvoiced_orders(self):
        policy = d.Policy(enabled=True, limit_basis="exposure")
        figures = d.Figures(credit_limit=1000.0, total_balance=600.0, uninvoiced=400.0)
        assert d.decide(policy, figures).on_hold
        assert not d.decide(ON, figures).on_hold  # balance basis ignores orders
        assert d.decide(ON, figures).exposure == 1000.0

    def test_document_amount_is_added(self):
        figures = d.Figures(credit_limit=1000.0, total_balance=600.0)
        result = d.decide(ON, figures, document_amount=400.0)
        assert result.on_hold and result.compared_amount == 1000.0
        assert result.basis == d.BASIS_DOCUMENT
        assert result.available_credit == 0.0

    def test_document_is_compared_with_exposure_whatever_the_basis(self):
        # balance basis: the customer is not held, but an order adds to what is owed
        figures = d.Figures(credit_limit=1000.0, total_balance=300.0, uninvoiced=500.0)
        assert not d.decide(ON, figures).on_hold
        assert d.decide(ON, figures, document_amount=200.0).on_hold
        assert not d.decide(ON, figures, document_amount=199.99).on_hold

    def test_reason_entries_carry_their_figures(self):
        result = d.decide(ON, d.Figures(credit_limit=100.0, total_balance=200.0, overdue_amount=50.0, overdue_count=2))
        assert result.reason_entries() == [
            {"code": d.REASON_OVER_LIMIT, "figures": {"basis": "balance", "amount": 200.0, "limit": 100.0}},
            {"code": d.REASON_OVERDUE, "figures": {"amount": 50.0, "count": 2}},
        ]


class TestCodes:
    def test_codes_round_trip_in_a_fixed_order(self):
        text = d.codes_to_text(["overdue", "zz_custom", "over_limit"])
        assert text == "over_limit,overdue,zz_custom"
        assert d.text_to_codes(text) == ("over_limit", "overdue", "zz_custom")

    def test_no_codes(self):
        assert d.codes_to_text([]) is False
        assert d.text_to_codes(False) == ()


class TestHoldTypes:
    @pytest.mark.parametrize("over_limit", [True, False])
    def test_enforced_on_always_held(self, over_limit):
        figures = d.Figures(hold_type="enforced_on", credit_limit=1000.0, total_balance=2000.0 if over_limit else 0.0)
        result = d.decide(ON, figures)
        assert result.on_hold and result.reasons == (d.REASON_ENFORCED,)

    def test_enforced_off_never_held(self):
        figures = d.Figures(hold_type="enforced_off", credit_limit=1.0, total_balance=5000.0, overdue_amount=5000.0)
        assert not d.decide(ON, figures).on_hold

    def test_disabled_company_holds_nobody(self):
        off = d.Policy(enabled=False)
        for hold_type in d.HOLD_TYPES:
            figures = d.Figures(hold_type=hold_type, credit_limit=1.0, total_balance=5000.0, overdue_amount=5.0)
            result = d.decide(off, figures)
            assert not result.on_hold
        # figures are still computed while disabled
        assert d.decide(off, d.Figures(credit_limit=10.0, total_balance=10.0)).effective_limit == 10.0

    def test_new_customer_awaiting_payment(self):
        result = d.decide(ON, d.Figures(awaiting_first_payment=True))
        assert result.on_hold and result.reasons == (d.REASON_NEW_CUSTOMER,)
        enforced_off = d.Figures(hold_type="enforced_off", awaiting_first_payment=True)
        assert not d.decide(ON, enforced_off).on_hold


class TestOverdue:
    def test_minimum_amount_boundary(self):
        policy = d.Policy(enabled=True, overdue_min_amount=10.0)
        assert not d.decide(policy, d.Figures(total_balance=100.0, overdue_amount=9.99, overdue_count=1)).on_hold
        assert d.decide(policy, d.Figures(total_balance=100.0, overdue_amount=10.0, overdue_count=1)).on_hold

    def test_zero_minimum_still_needs_something_overdue(self):
        assert not d.decide(ON, d.Figures(total_balance=100.0, overdue_amount=0.0)).on_hold

    def test_credits_are_netted_against_overdue(self):
        # an overdue invoice of 1000 and an unallocated payment of 1000: nothing is owed
        result = d.decide(ON, d.Figures(total_balance=0.0, overdue_amount=1000.0, overdue_count=1))
        assert not result.on_hold and result.overdue_amount == 0.0 and result.overdue_count == 0
        partly = d.decide(ON, d.Figures(total_balance=300.0, overdue_amount=1000.0, overdue_count=1))
        assert partly.on_hold and partly.overdue_amount == 300.0

    @freeze_time("2026-03-15")
    def test_grace_days_boundary(self):
        today = date.today()
        # due 10 March with 5 grace days: due + grace = 15 March = today -> not overdue yet
        cutoff = d.overdue_cutoff(today, 5)
        assert not date(2026, 3, 10) < cutoff
        assert date(2026, 3, 9) < cutoff
        # no grace: due yesterday is overdue, due today is not
        assert date(2026, 3, 14) < d.overdue_cutoff(today, 0)
        assert not date(2026, 3, 15) < d.overdue_cutoff(today, 0)

    def test_negative_grace_rejected(self):
        with pytest.raises(ValueError):
            d.overdue_cutoff(date(2026, 1, 1), -1)


class TestValidation:
    @pytest.mark.parametrize(
        "kwargs",
        [
            {"limit_basis": "orders"},
            {"default_threshold": 0.0},
            {"default_threshold": 1000.01},
            {"warning_percent": 0.5},
            {"warning_percent": 101.0},
            {"grace_days": -1},
            {"overdue_min_amount": -0.01},
        ],
    )
    def test_bad_policy(self, kwargs):
        with pytest.raises(ValueError):
            d.Policy(**kwargs)

    def test_bad_hold_type(self):
        with pytest.raises(ValueError):
            d.Figures(hold_type="sometimes")


class TestTemporaryLimit:
    """R5, temporary limit: in force until the day before its end date."""

    END = date(2026, 3, 10)

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (date(2026, 3, 1), 5000.0),
            (date(2026, 3, 9), 5000.0),
            (date(2026, 3, 10), 1000.0),
            (date(2026, 4, 1), 1000.0),
        ],
    )
    def test_in_force_until_the_end_date_excluded(self, today, expected):
        assert d.limit_in_force(1000.0, 5000.0, self.END, today) == expected

    def test_without_temporary_limit_the_permanent_one(self):
        assert d.limit_in_force(1000.0, 0.0, self.END, date(2026, 3, 1)) == 1000.0
        assert d.limit_in_force(1000.0, 5000.0, None, date(2026, 3, 1)) == 1000.0
        assert d.limit_in_force(False, None, None, date(2026, 3, 1)) == 0.0

    def test_threshold_applies_on_top_of_the_temporary_limit(self):
        limit = d.limit_in_force(1000.0, 5000.0, self.END, date(2026, 3, 9))
        figures = d.Figures(credit_limit=limit, threshold=90.0, total_balance=4400.0)
        result = d.decide(ON, figures)
        assert result.effective_limit == pytest.approx(4500.0)
        assert not result.on_hold
        assert d.decide(ON, d.Figures(credit_limit=limit, threshold=90.0, total_balance=4500.0)).on_hold
