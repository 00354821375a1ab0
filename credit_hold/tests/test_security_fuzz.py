# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The security review, generated: users of each group of the README's
Security table play public methods of our models and Odoo's document
actions, and writes of any field their rights allow (read from
``fields_get`` and the access rules, not a hand-made list), on any record
they can see, against a small world of customers on and off hold and held,
released and clear orders and invoices. After each step the invariants of
the Security table are checked.

Bounded: a fixed seed and a few hundred steps in ``make test``; more with
``make fuzz`` (``CREDIT_HOLD_FUZZ_EXAMPLES``). What it finds goes into plain
tests (``test_second_review.py``).
"""

import os

import psycopg2
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditHoldCommon
from .test_release_authority import CONTROLLER_GROUPS

EXAMPLES = int(os.environ.get("CREDIT_HOLD_FUZZ_EXAMPLES", "8"))
STEPS = int(os.environ.get("CREDIT_HOLD_FUZZ_STEPS", "25"))
# what a user may call over RPC (public methods) on each kind of document
DOCUMENT_METHODS = {
    "sale.order": (
        "action_confirm",
        "action_draft",
        "action_quotation_sent",
        "action_credit_hold",
        "action_credit_cancel_check",
        "action_credit_release",
        "action_credit_escalate",
        "copy",
    ),
    "account.move": (
        "action_post",
        "button_draft",
        "button_cancel",
        "action_credit_hold",
        "action_credit_cancel_check",
        "action_credit_release",
        "copy",
    ),
}
PARTNER_METHODS = ("action_credit_hold_enforce_on", "action_credit_hold_enforce_off", "action_credit_hold_automatic")
CONFIRMED = {"sale.order": ("sale",), "account.move": ("posted",)}
# what a change of these lets through is bounded by release authority
LIFT_FIELDS = ("credit_limit", "credit_temp_limit", "on_hold_type")
# what a refused or impossible step raises (none of them is a breach)
REFUSALS = (AccessError, UserError, ValidationError, MissingError, ValueError, TypeError, KeyError, psycopg2.Error)


@tagged("post_install", "-at_install")
class TestSecurityFuzz(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_hold_prevent_invoices": True, "credit_hold_release_authority": True})
        cls.small = new_test_user(cls.env, login="fz_small", groups=CONTROLLER_GROUPS, company_id=cls.company.id)
        cls.big = new_test_user(cls.env, login="fz_big", groups=CONTROLLER_GROUPS, company_id=cls.company.id)
        cls.small.with_company(cls.company).credit_release_limit = 10.0
        cls.big.with_company(cls.company).credit_release_limit = 1_000_000.0
        cls.plain = new_test_user(cls.env, login="fz_plain", groups="base.group_user", company_id=cls.company.id)
        cls.users = [cls.plain, cls.salesman, cls.billing, cls.small, cls.big]
        cls.on_hold = cls.env["res.partner"].create(
            {"name": "Held Customer", "is_company": True, "credit_limit": 500.0}
        )
        cls.on_hold.with_user(cls.controller).action_credit_hold_enforce_on()
        cls.clear = cls.customer
        cls.orders = cls._order(cls.on_hold, 900.0, confirm=True) | cls._order(cls.on_hold, 50.0, confirm=True)
        cls.orders |= cls._order(cls.clear, 300.0, confirm=True) | cls._order(cls.clear, 400.0)
        invoices = cls._invoice(cls.on_hold, 700.0, post=False) | cls._invoice(cls.clear, 200.0, post=False)
        invoices.action_post()
        cls.invoices = invoices
        assert cls.orders[:2].mapped("credit_status") == ["held", "held"]
        assert cls.invoices[0].credit_status == "held"

    def test_no_way_around(self):
        case = self

        class World(RuleBasedStateMachine):
            def __init__(self):
                super().__init__()
                self.savepoint = case.env.cr.savepoint()
                self.savepoint.__enter__()
                self.step = None

            def teardown(self):
                self.savepoint.close(rollback=True)
                case.env.invalidate_all()
                case.env.cr.precommit.clear()

            # the acting user and what they can see ----------------------

            def _documents(self, user, model):
                records = case.orders if model == "sale.order" else case.invoices
                return records.with_user(user).exists()._filtered_access("read")

            def _snapshot(self):
                partners = (case.on_hold | case.clear).sudo()
                case.env.invalidate_all()
                docs = [*case.orders.sudo().exists(), *case.invoices.sudo().exists()]
                return {
                    "docs": {(d._name, d.id): (d.state, d.credit_status) for d in docs},
                    "partners": {p.id: {name: p[name] for name in LIFT_FIELDS} for p in partners},
                }

            def _act(self, user, label, call):
                before = self._snapshot()
                outcome = "done"
                try:
                    with mute_logger("odoo.models.unlink", "odoo.sql_db"), case.env.cr.savepoint():
                        call()
                except REFUSALS as refusal:
                    outcome = type(refusal).__name__
                self.step = (user, f"{label} [{outcome}]", before, self._snapshot())

            # steps -------------------------------------------------------

            @rule(
                user=st.integers(0, 4),
                model=st.sampled_from(sorted(DOCUMENT_METHODS)),
                index=st.integers(0, 3),
                method=st.integers(0, 6),
            )
            def call_document_method(self, user, model, index, method):
                user = case.users[user]
                docs = self._documents(user, model)
                if not docs:
                    return
                doc = docs[index % len(docs)]
                name = DOCUMENT_METHODS[model][method % len(DOCUMENT_METHODS[model])]
                if name == "action_credit_release":
                    self._act(user, f"{doc.display_name}.credit_release", lambda: doc.credit_release("fuzz"))
                elif name == "action_credit_escalate":
                    self._act(user, f"{doc.display_name}.credit_escalate", lambda: doc.credit_escalate("fuzz"))
                else:
                    self._act(user, f"{doc.display_name}.{name}", getattr(doc, name))

            @rule(
                user=st.integers(0, 4),
                model=st.sampled_from(["sale.order", "account.move", "res.partner"]),
                index=st.integers(0, 3),
                field=st.integers(0, 10_000),
                value=st.integers(-1, 2_000_000),
            )
            def write_a_field(self, user, model, index, field, value):
                """A write of any field the user's rights allow on a record they see."""
                user = case.users[user]
                if model == "res.partner":
                    records = (case.on_hold | case.clear).with_user(user)
                else:
                    records = self._documents(user, model)
                records = records._filtered_access("write") if records else records
                if not records:
                    return
                record = records[index % len(records)]
                described = record.fields_get(attributes=["type", "readonly", "selection", "relation"])
                names = sorted(
                    name
                    for name, desc in described.items()
                    if not desc.get("readonly") and desc["type"] not in ("one2many", "many2many", "binary", "html")
                )
                if not names:
                    return
                name = names[field % len(names)]
                desc = described[name]
                if desc["type"] == "selection":
                    options = [key for key, _label in desc["selection"]]
                    new = options[value % len(options)] if options else False
                elif desc["type"] == "boolean":
                    new = bool(value % 2)
                elif desc["type"] in ("float", "monetary", "integer"):
                    new = value
                elif desc["type"] == "many2one":
                    new = (case.on_hold | case.clear)[value % 2].id if desc["relation"] == "res.partner" else False
                elif desc["type"] in ("date", "datetime"):
                    new = False
                else:
                    new = f"fuzz {value}"
                self._act(user, f"{record.display_name}.write({name}={new!r})", lambda: record.write({name: new}))

            @rule(user=st.integers(0, 4), which=st.integers(0, 1), method=st.sampled_from(PARTNER_METHODS))
            def call_partner_method(self, user, which, method):
                user = case.users[user]
                partner = (case.on_hold | case.clear)[which].with_user(user)
                self._act(user, f"{partner.name}.{method}", getattr(partner, method))

            @rule(user=st.integers(0, 4), amount=st.integers(1, 5000))
            def add_an_order_line(self, user, amount):
                """Raise a confirmed order of the customer not on hold."""
                user = case.users[user]
                order = case.orders[2].with_user(user)
                line = [Command.create({"product_id": case.service.id, "price_unit": float(amount)})]
                self._act(user, f"{case.orders[2].name}+{amount}", lambda: order.write({"order_line": line}))

            # the invariants of the Security table -------------------------

            @invariant()
            def held_documents_go_through_only_by_the_check_or_within_authority(self):
                if not self.step:
                    return
                user, label, before, after = self.step
                through = []
                for key, (state, status) in after["docs"].items():
                    model, doc_id = key
                    old_state, old_status = before["docs"].get(key, (None, None))
                    if state in CONFIRMED[model] and old_state is not None and old_state not in CONFIRMED[model]:
                        through.append((case.env[model].sudo().browse(doc_id), status, old_status))
                for doc, status, old_status in through:
                    customer = doc._credit_hold_partner()
                    if status == "released" and old_status == "released":
                        continue  # released in an earlier step (checked then), confirmed now
                    if status == "released":
                        # released in this step: by a controller within their authority
                        case.assertEqual(doc.credit_released_uid, user, label)
                        case.assertIn(user, (case.big,), f"{label}: released beyond the release limit")
                        continue
                    # went through on the check: never while the customer is
                    # enforced on hold...
                    case.assertNotEqual(
                        customer.on_hold_type, "enforced_on", f"{label}: {doc.display_name} went through while held"
                    )
                    if doc._name != "sale.order":
                        continue
                    # ...and never past the limit: with what else went through in
                    # this step taken out again (a lower bound of the exposure
                    # the order was checked against), it must have fitted
                    root = doc.company_id._credit_hold_root()
                    decision = doc._credit_hold_customer_results()[root][customer.id][1]
                    if decision.effective_limit is None:
                        continue
                    others = sum(
                        other._credit_hold_amount()
                        for other, _status, _old in through
                        if other._credit_hold_partner() == customer
                    )
                    checked = decision.exposure - others + doc._credit_hold_amount()
                    case.assertLess(checked, decision.effective_limit, f"{label}: {doc.display_name} past the limit")

            @invariant()
            def limits_change_only_as_the_security_table_says(self):
                if not self.step:
                    return
                user, label, before, after = self.step
                for partner_id, values in after["partners"].items():
                    old = before["partners"][partner_id]
                    if values == old:
                        continue
                    case.assertTrue(
                        user.has_group("credit_hold.group_credit_controller"), f"{label}: {old} -> {values}"
                    )
                    if user == case.small:
                        case.assertNotEqual(values["on_hold_type"], "enforced_off", label)
                        if values["credit_limit"] != old["credit_limit"]:
                            case.assertTrue(
                                values["credit_limit"] and values["credit_limit"] <= max(10.0, old["credit_limit"]),
                                f"{label}: {old} -> {values}",
                            )

        World.TestCase.settings = settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        return run_state_machine_as_test(World, settings=World.TestCase.settings)
