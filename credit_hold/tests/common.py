# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.credit_hold.compat import cron_job_test_mode
from odoo.tests import Form, new_test_user


def query_count(env, func):
    """Run ``func`` and return how many queries it sent (Odoo's own counter,
    the one ``assertQueryCount`` reads), pending writes included."""
    env.flush_all()
    before = env.cr.sql_log_count
    func()
    env.flush_all()
    return env.cr.sql_log_count - before


@contextmanager
def hold_writes(env):
    """Record the ORM writes of the hold on customers: yields a list that
    receives the ids written with ``on_hold`` in their values."""
    partner_class = type(env["res.partner"])
    original = partner_class.write
    written = []

    def spy(records, vals):
        if "on_hold" in vals or "credit_hold_reason_codes" in vals:
            written.extend(records.ids)
        return original(records, vals)

    with patch.object(partner_class, "write", autospec=True, side_effect=spy):
        yield written


class CreditHoldCommon(AccountTestInvoicingCommon):
    """A company with credit hold on, a customer with a limit of 1,000, and
    users of each group: a salesman, a billing user and a credit controller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "credit_hold_enabled": True,
                "credit_hold_over_limit": True,
                "credit_hold_overdue": True,
                "credit_hold_grace_days": 0,
                "credit_hold_limit_basis": "balance",
                "email": "accounting@company.example.com",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Credit Customer", "is_company": True, "credit_limit": 1000.0}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Carl Contact", "parent_id": cls.customer.id})
        cls.service = cls.env["product.product"].create(
            {
                "name": "Consulting",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ch_salesman",
            email="salesman@company.example.com",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.billing = new_test_user(
            cls.env,
            login="ch_billing",
            email="billing@company.example.com",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.controller = new_test_user(
            cls.env,
            login="ch_controller",
            email="controller@company.example.com",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman,"
            "credit_hold.group_credit_controller",
            company_id=cls.company.id,
        )

    def _run_cron_job(self, xmlid):
        """Run the scheduled action ``xmlid`` as Odoo's cron runner does (as
        its user, committing its progress)."""
        with cron_job_test_mode(self):
            self.env.ref(xmlid).method_direct_trigger()

    @classmethod
    def _order(cls, partner, amount, user=None, confirm=False):
        """A quotation of ``amount`` (no taxes) entered by ``user`` (the salesman)
        through the form, as a salesperson does."""
        user = user or cls.salesman
        with Form(cls.env["sale.order"].with_user(user)) as form:
            form.partner_id = partner
            form.user_id = user
            with form.order_line.new() as line:
                line.product_id = cls.service
                line.product_uom_qty = 1
                line.price_unit = amount
        order = form.record
        if confirm:
            order.with_user(user).action_confirm()
        return order

    @classmethod
    def _invoice(cls, partner, amount, due=None, post=True, move_type="out_invoice", company=None, currency=None):
        """A customer invoice (or credit note) of ``amount``, no taxes, due on ``due``."""
        company = company or cls.company
        date = fields.Date.to_date(due) if due else fields.Date.context_today(partner)
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_date_due": date,
                    "invoice_payment_term_id": False,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        if due:
            move.invoice_date_due = due
        if post:
            move.action_post()
        return move

    @classmethod
    def _register_payment(cls, invoices, amount=None):
        """What a user does with the Register Payment button."""
        ctx = {"active_model": "account.move", "active_ids": invoices.ids}
        wizard_form = Form(cls.env["account.payment.register"].with_context(**ctx))
        if amount is not None:
            wizard_form.amount = amount
        return wizard_form.save()._create_payments()

    @classmethod
    def _payment_on_account(cls, partner, amount, company=None):
        company = company or cls.company
        payment = (
            cls.env["account.payment"]
            .with_company(company)
            .create(
                {
                    "amount": amount,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "currency_id": company.currency_id.id,
                }
            )
        )
        payment.action_post()
        return payment
