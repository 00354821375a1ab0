# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
import time
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..decision import (
    REASON_ENFORCED,
    REASON_NEW_CUSTOMER,
    REASON_OVER_LIMIT,
    REASON_OVERDUE,
    THRESHOLD_MAX,
    Figures,
    decide,
    overdue_cutoff,
)
from .res_company import check_range

_logger = logging.getLogger(__name__)

CONTROLLER_GROUP = "credit_hold.group_credit_controller"
# where the scheduled job keeps the pass under way (company, last customer id, counters)
EVALUATION_STATE_PARAM = "credit_hold.evaluation_pass"
# pg advisory lock: one evaluation pass at a time
CRON_LOCK_KEY = 0x43524844  # "CRHD"

# Only a credit controller may change these (checked on the server in write).
CONTROLLER_FIELDS = {
    "on_hold_type": "automatic",
    "credit_threshold": 0.0,
    "credit_hold_grace_override": False,
    "credit_hold_grace_days": 0,
    "credit_controller_id": False,
}
# Only the evaluation (running as superuser) writes these.
SYSTEM_FIELDS = ("on_hold", "credit_hold_reason", "credit_hold_awaiting_payment")
# Non-stored figures: computed from other models' lines, refreshed after each evaluation.
FIGURE_FIELDS = [
    "total_balance",
    "credit_uninvoiced",
    "credit_exposure",
    "overdue_amount",
    "credit_overdue_count",
    "credit_effective_limit",
    "credit_available",
    "credit_has_limit",
    "credit_warning",
]
# Company-dependent columns read with SQL, for a whole batch at once.
STATE_FIELDS = [
    "on_hold_type",
    "credit_limit",
    "credit_threshold",
    "credit_hold_awaiting_payment",
    "on_hold",
    "credit_hold_reason",
]
# A change of any of these re-evaluates the customer at once.
EVALUATE_ON = (set(CONTROLLER_FIELDS) - {"credit_controller_id"}) | {"credit_limit", "use_partner_credit_limit"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    on_hold = fields.Boolean(
        company_dependent=True,
        copy=False,
        readonly=True,
        tracking=True,
        help="Set by the credit-hold rules of the current company: while on hold, "
        "orders (and, if configured, invoices) of this customer are stopped.",
    )
    on_hold_type = fields.Selection(
        selection=[
            ("automatic", "Automatic"),
            ("enforced_on", "Enforced on hold"),
            ("enforced_off", "Enforced off hold"),
        ],
        string="Hold Type",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="Automatic: the company's rules decide. Enforced on / off: a credit "
        "controller decided, the rules are ignored.",
    )
    credit_hold_reason = fields.Char(
        string="Hold Reason",
        company_dependent=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    credit_threshold = fields.Float(
        string="Threshold (%)",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="Percentage of the credit limit at which this customer is held. "
        "Empty: the company default. 90 holds before the limit, 120 is a buffer above it.",
    )
    credit_hold_grace_override = fields.Boolean(
        string="Own Grace Days",
        company_dependent=True,
        copy=False,
        help="Use the grace days below instead of the company's.",
    )
    credit_hold_grace_days = fields.Integer(
        string="Grace Days",
        company_dependent=True,
        copy=False,
    )
    credit_controller_id = fields.Many2one(
        comodel_name="res.users",
        company_dependent=True,
        copy=False,
        domain=[("share", "=", False)],
        help="Gets the review activity of this customer's held documents " "(empty: the company's default controller).",
    )
    credit_hold_awaiting_payment = fields.Boolean(
        string="Awaiting First Payment",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="A new customer held until its first payment is reconciled (company setting).",
    )
    credit_held_document_count = fields.Integer(
        string="Held Documents",
        compute="_compute_credit_held_document_count",
    )
    credit_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Credit Hold Currency",  # not "Credit Currency": OCA's financial risk has that label
        compute="_compute_credit_currency_id",
    )
    total_balance = fields.Monetary(
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="What the customer owes now: unpaid posted receivables in this company.",
    )
    credit_uninvoiced = fields.Monetary(
        string="Orders Not Invoiced",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Total balance plus confirmed sales not yet invoiced.",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Unpaid amounts past their due date plus the grace days.",
    )
    credit_overdue_count = fields.Integer(
        string="Overdue Invoices",
        compute="_compute_credit_figures",
    )
    credit_effective_limit = fields.Monetary(
        string="Effective Limit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Credit limit x threshold / 100.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
    )
    credit_has_limit = fields.Boolean(compute="_compute_credit_figures")
    credit_warning = fields.Boolean(
        string="Near Credit Limit",
        compute="_compute_credit_figures",
    )

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_credit_held_document_count(self):
        commercial = self.commercial_partner_id.filtered("id")
        counts = {}
        if commercial:
            groups = (
                self.env["credit.hold.document"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "in", commercial.ids),
                        ("company_id", "=", self.env.company.id),
                        ("credit_status", "=", "held"),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
            counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.credit_held_document_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.depends_context("company")
    def _compute_credit_figures(self):
        company = self.env.company
        commercial = self.commercial_partner_id.filtered("id")
        results = commercial._credit_hold_compute(company) if commercial else {}
        for partner in self:
            result = results.get(partner.commercial_partner_id.id)
            if not result:
                partner.update(
                    {
                        "total_balance": 0.0,
                        "credit_uninvoiced": 0.0,
                        "credit_exposure": 0.0,
                        "overdue_amount": 0.0,
                        "credit_overdue_count": 0,
                        "credit_effective_limit": 0.0,
                        "credit_available": 0.0,
                        "credit_has_limit": False,
                        "credit_warning": False,
                    }
                )
                continue
            figures, decision = result
            partner.update(
                {
                    "total_balance": figures.total_balance,
                    "credit_uninvoiced": figures.uninvoiced,
                    "credit_exposure": decision.exposure,
                    "overdue_amount": decision.overdue_amount,
                    "credit_overdue_count": decision.overdue_count,
                    "credit_effective_limit": decision.effective_limit or 0.0,
                    "credit_available": decision.available_credit or 0.0,
                    "credit_has_limit": decision.effective_limit is not None,
                    "credit_warning": decision.warning,
                }
            )

    @api.constrains("credit_threshold", "credit_hold_grace_days")
    def _check_credit_hold_values(self):
        check_range(
            self,
            "credit_threshold",
            lambda v: not v or 0 < v <= THRESHOLD_MAX,
            self.env._("empty (the company default) or greater than 0 and at most %(max)s", max=THRESHOLD_MAX),
        )
        check_range(self, "credit_hold_grace_days", lambda v: v >= 0, self.env._("0 or more"))

    @api.constrains("credit_limit")
    def _check_credit_limit_not_negative(self):
        check_range(self.sudo(), "credit_limit", lambda v: v >= 0, self.env._("0 (no limit) or more"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._credit_hold_check_access(vals)
        partners = super().create(vals_list)
        # a new contact shows its company's hold from the start
        contacts = partners.filtered(lambda p: p.commercial_partner_id != p)
        if contacts:
            self._credit_hold_sync_contacts(contact_ids=contacts.ids)
        to_evaluate = self.browse(
            partner.id
            for partner, vals in zip(partners, vals_list, strict=True)
            if EVALUATE_ON & vals.keys() and partner.commercial_partner_id == partner
        )
        if to_evaluate:
            to_evaluate._credit_hold_evaluate(self.env.company)
        new_customers = partners.filtered(lambda p: p.commercial_partner_id == p and p.customer_rank > 0)
        if new_customers:
            new_customers._credit_hold_hold_new_customers()
        return partners

    def _credit_hold_hold_new_customers(self):
        """R14: in each company that asks for it, a new customer starts on hold
        until its first payment is reconciled."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("credit_hold_enabled", "=", True), ("credit_hold_new_customers", "=", True)])
        )
        for company in companies:
            partners = self.with_company(company).sudo()
            partners.write({"credit_hold_awaiting_payment": True})
            partners._credit_hold_evaluate(company)

    def write(self, vals):
        self._credit_hold_check_access(vals)
        res = super().write(vals)
        if "parent_id" in vals or "is_company" in vals:
            contacts = self.filtered(lambda p: p.commercial_partner_id != p)
            if contacts:
                self._credit_hold_sync_contacts(contact_ids=contacts.ids)
        if EVALUATE_ON & vals.keys():
            commercial = self.filtered(lambda p: p.commercial_partner_id == p)
            if commercial:
                commercial._credit_hold_evaluate(self.env.company)
        return res

    def _fields_sync(self, values):
        # The hold is copied to contacts by _credit_hold_sync_contacts in one
        # UPDATE; Odoo's own sync would write every contact of every customer
        # whose hold changed (a nightly pass changes thousands).
        if values and values.keys() <= set(SYSTEM_FIELDS):
            return
        return super()._fields_sync(values)

    def _credit_hold_check_access(self, vals):
        """Server-side guard: views only mirror it (R15)."""
        if self.env.su:
            return
        system = [name for name in SYSTEM_FIELDS if name in vals]
        if system:
            raise AccessError(
                self.env._(
                    "%(fields)s are set by the credit-hold rules and cannot be written directly: "
                    "change the Hold Type instead.",
                    fields=", ".join(self._fields[name].string for name in system),
                )
            )
        if self.env.user.has_group(CONTROLLER_GROUP):
            return
        for name, default in CONTROLLER_FIELDS.items():
            if name not in vals:
                continue
            new = vals[name] or default
            # Saving a form sends unchanged values back: only a real change is refused.
            current = {
                (rec[name].id if isinstance(rec[name], models.BaseModel) else rec[name]) or default for rec in self
            }
            current = current or {default}
            if current != {new}:
                raise AccessError(
                    self.env._(
                        "Only a Credit Controller can change %(field)s.",
                        field=self._fields[name].string,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _credit_hold_set_type(self, hold_type):
        if not self.env.user.has_group(CONTROLLER_GROUP):
            raise AccessError(self.env._("Only a Credit Controller can change the hold type of a customer."))
        commercial = self.commercial_partner_id
        if commercial != self:
            raise UserError(
                self.env._(
                    "The hold of a contact is the hold of its company: change it on %(company)s.",
                    company=", ".join(commercial.mapped("display_name")),
                )
            )
        commercial.write({"on_hold_type": hold_type})
        return True

    def action_credit_hold_enforce_on(self):
        """Button: always on hold, whatever the rules (controllers only)."""
        return self._credit_hold_set_type("enforced_on")

    def action_credit_hold_enforce_off(self):
        """Button: never on hold, whatever the rules (controllers only)."""
        return self._credit_hold_set_type("enforced_off")

    def action_credit_hold_automatic(self):
        """Button: back to the company's rules (controllers only)."""
        return self._credit_hold_set_type("automatic")

    def action_view_credit_held_documents(self):
        """Smart button: the held documents of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_hold_document_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_held": 1}
        return action

    def action_view_overdue_invoices(self):
        """Smart button: the customer's invoices counted as overdue (R7, R19)."""
        self.ensure_one()
        company = self.env.company
        policy = company._credit_hold_policy()
        partner = self.commercial_partner_id.with_company(company)
        grace = partner.credit_hold_grace_days if partner.credit_hold_grace_override else policy.grace_days
        cutoff = overdue_cutoff(fields.Date.context_today(self), grace)
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [
            ("commercial_partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("move_type", "in", ("out_invoice", "out_receipt")),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", cutoff),
        ]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        action["name"] = self.env._("Overdue Invoices")
        return action

    def action_evaluate_credit_hold(self):
        """Re-evaluate the credit hold of these customers now, in each of the
        user's selected companies, with one query per figure for the batch.

        Writes ``on_hold`` and ``credit_hold_reason`` only where they change.
        """
        commercial = self.commercial_partner_id.filtered("id")
        for company in self.env.companies:
            commercial._credit_hold_evaluate(company)
        return True

    # ------------------------------------------------------------------
    # Figures and evaluation (set-based: never a query per partner)
    # ------------------------------------------------------------------

    def _credit_hold_flush(self):
        for model, names in (
            ("account.move.line", ["amount_residual", "reconciled", "parent_state", "date_maturity", "partner_id"]),
            ("sale.order.line", ["price_total", "product_uom_qty", "qty_invoiced", "display_type"]),
            ("sale.order", ["state", "currency_rate", "partner_invoice_id", "company_id"]),
            (
                "res.partner",
                ["commercial_partner_id", *STATE_FIELDS, "credit_hold_grace_override", "credit_hold_grace_days"],
            ),
        ):
            self.env[model].flush_model(names)

    @api.model
    def _credit_hold_receivables_sql(self, company, policy, today, line_filter):
        """Balance and overdue figures per commercial partner, as SQL.

        Shaped like a bare aggregate over the open receivable lines (the
        floor of the benchmark): lines are aggregated by their own partner
        first, matching Odoo's partial index on unreconciled posted lines,
        and only then mapped to their commercial partner. Customers with
        their own grace days (rare) join through a small table.

        :param SQL line_filter: restricts ``aml`` (``SQL("true")``: the
            whole company, in the nightly pass)
        Columns: partner id, balance, overdue amount, overdue invoice count.
        """
        cid = str(company.id)
        return SQL(
            """
            WITH overrides AS (
                SELECT c.id, COALESCE((cp.credit_hold_grace_days->>%(cid)s)::int, 0) AS grace
                  FROM res_partner cp
                  JOIN res_partner c ON c.commercial_partner_id = cp.id
                 WHERE cp.credit_hold_grace_override IS NOT NULL
                   AND (cp.credit_hold_grace_override->>%(cid)s)::boolean
            ),
            lines AS (
                SELECT aml.partner_id, aml.move_id, aml.amount_residual,
                       aml.amount_residual > 0
                       AND aml.date_maturity < %(today)s::date - COALESCE(o.grace, %(grace)s) AS is_overdue
                  FROM account_move_line aml
             LEFT JOIN overrides o ON o.id = aml.partner_id
                 WHERE aml.account_id = ANY(ARRAY(
                           SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
                   AND (aml.reconciled IS NULL OR aml.reconciled = false OR aml.reconciled IS NOT true)
                   AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company)s
                   AND aml.partner_id IS NOT NULL
                   AND %(line_filter)s
            ),
            by_partner AS (
                SELECT partner_id, SUM(amount_residual) AS balance,
                       SUM(amount_residual) FILTER (WHERE is_overdue) AS overdue_amount
                  FROM lines
              GROUP BY partner_id
            ),
            overdue_moves AS (
                SELECT partner_id, COUNT(DISTINCT move_id) AS overdue_count
                  FROM lines
                 WHERE is_overdue
              GROUP BY partner_id
            )
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(b.balance)::float8 AS balance,
                   COALESCE(SUM(b.overdue_amount), 0)::float8 AS overdue_amount,
                   COALESCE(SUM(m.overdue_count), 0)::int AS overdue_count
              FROM by_partner b
              JOIN res_partner p ON p.id = b.partner_id
         LEFT JOIN overdue_moves m ON m.partner_id = b.partner_id
          GROUP BY p.commercial_partner_id
            """,
            cid=cid,
            today=today,
            grace=policy.grace_days,
            company=company.id,
            line_filter=line_filter,
        )

    @api.model
    def _credit_hold_uninvoiced_sql(self, company, order_filter):
        """Confirmed sales not yet invoiced per commercial partner, in company
        currency, as SQL. Each open line counts its total (taxes included) pro
        rata of the quantity not invoiced yet, converted at the order's rate.

        :param SQL order_filter: restricts ``so`` (``SQL("true")``: the whole company)
        Columns: partner id, amount.
        """
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(sol.price_total * (sol.product_uom_qty - COALESCE(sol.qty_invoiced, 0))
                       / sol.product_uom_qty / COALESCE(NULLIF(so.currency_rate, 0), 1))::float8 AS uninvoiced
              FROM sale_order so
              JOIN sale_order_line sol ON sol.order_id = so.id
              JOIN res_partner p ON p.id = so.partner_invoice_id
             WHERE so.company_id = %(company)s
               AND so.state = 'sale'
               AND sol.display_type IS NULL
               AND sol.is_downpayment IS NOT TRUE
               AND sol.product_uom_qty > 0
               AND COALESCE(sol.qty_invoiced, 0) < sol.product_uom_qty
               AND %(order_filter)s
          GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            order_filter=order_filter,
        )

    def _credit_hold_query_figures(self, company, policy, today):
        """Receivable and order figures of these commercial partners: two queries.

        :return: {partner_id: (balance, overdue_amount, overdue_count, uninvoiced)}
        """
        # these partners and their contacts, as arrays the planner turns into index lookups
        members = SQL("ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))", self.ids)
        line_filter = SQL("aml.partner_id = ANY(%s)", members)
        self.env.cr.execute(self._credit_hold_receivables_sql(company, policy, today, line_filter))
        receivables = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(self._credit_hold_uninvoiced_sql(company, SQL("so.partner_invoice_id = ANY(%s)", members)))
        uninvoiced = dict(self.env.cr.fetchall())
        return {
            pid: (*receivables.get(pid, (0.0, 0.0, 0)), uninvoiced.get(pid, 0.0))
            for pid in set(receivables) | set(uninvoiced)
        }

    @api.model
    def _credit_hold_state_columns(self, company):
        """SQL of the hold settings and current hold of ``p`` (a res_partner
        row) in ``company``, read from the company-dependent JSONB columns;
        see :meth:`_credit_hold_state_from_rows`."""
        return SQL(
            """
            p.on_hold_type->>%(cid)s, (p.credit_limit->>%(cid)s)::float8, (p.credit_threshold->>%(cid)s)::float8,
            COALESCE((p.credit_hold_awaiting_payment->>%(cid)s)::boolean, false),
            COALESCE((p.on_hold->>%(cid)s)::boolean, false), p.credit_hold_reason->>%(cid)s
            """,
            cid=str(company.id),
        )

    @api.model
    def _credit_hold_state_from_rows(self, company, rows):
        """{partner_id: dict of STATE_FIELDS values} from rows of
        (partner id, *:meth:`_credit_hold_state_columns`), with the fallbacks
        of the company-dependent fields where a company has no value."""
        partners = self.with_company(company)
        fallbacks = {
            name: self._fields[name].get_company_dependent_fallback(partners)
            for name in ("on_hold_type", "credit_limit")
        }
        return {
            pid: {
                "on_hold_type": hold_type or fallbacks["on_hold_type"] or "automatic",
                "credit_limit": credit_limit if credit_limit is not None else (fallbacks["credit_limit"] or 0.0),
                "credit_threshold": threshold or 0.0,
                "credit_hold_awaiting_payment": awaiting,
                "on_hold": on_hold,
                "credit_hold_reason": reason or False,
            }
            for pid, hold_type, credit_limit, threshold, awaiting, on_hold, reason in rows
        }

    def _credit_hold_read_state(self, company):
        """Hold settings and current hold of these partners in ``company``, in
        one query (the ORM would fetch every company-dependent field of
        res.partner for each batch).

        :return: {partner_id: dict of STATE_FIELDS values}
        """
        self.env.cr.execute(
            SQL(
                "SELECT p.id, %s FROM res_partner p WHERE p.id = ANY(%s)",
                self._credit_hold_state_columns(company),
                self.ids,
            )
        )
        return self._credit_hold_state_from_rows(company, self.env.cr.fetchall())

    def _credit_hold_compute(self, company, document_amounts=None, state=None, figures=None, known_state=None):
        """Figures and decision of these commercial partners in ``company``.

        A constant number of queries whatever the number of partners or of
        their invoices: one for receivables, one for orders, one to read the
        partners' settings.

        :param dict document_amounts: {partner_id: amount} of a document being
            checked, added to what is compared with the limit (R4)
        :param dict state: filled with :meth:`_credit_hold_read_state` when given
        :param dict figures: figures already gathered for the whole company
            (the nightly pass), in the shape of :meth:`_credit_hold_query_figures`
        :param dict known_state: the partners' state, already read (the nightly pass)
        :return: {partner_id: (Figures, Decision)}
        """
        if not self:
            return {}
        company = company.sudo()
        policy = company._credit_hold_policy()
        today = fields.Date.context_today(self.with_company(company))
        partners = self.with_company(company).sudo()
        partners._credit_hold_flush()
        if figures is None:
            figures = partners._credit_hold_query_figures(company, policy, today)
        current = known_state if known_state is not None else partners._credit_hold_read_state(company)
        if state is not None:
            state.update(current)
        digits = policy.digits
        document_amounts = document_amounts or {}
        results = {}
        for pid in partners.ids:
            balance, overdue_amount, overdue_count, uninvoiced = figures.get(pid, (0.0, 0.0, 0, 0.0))
            values = current[pid]
            customer = Figures(
                hold_type=values["on_hold_type"],
                credit_limit=values["credit_limit"],
                threshold=values["credit_threshold"] or None,
                total_balance=round(balance or 0.0, digits),
                uninvoiced=round(uninvoiced or 0.0, digits),
                overdue_amount=round(overdue_amount or 0.0, digits),
                overdue_count=overdue_count or 0,
                document_amount=round(document_amounts.get(pid, 0.0), digits),
                awaiting_first_payment=values["credit_hold_awaiting_payment"],
            )
            results[pid] = (customer, decide(policy, customer))
        return results

    def _credit_hold_reason_labels(self):
        return {
            REASON_ENFORCED: self.env._("Put on hold by a credit controller"),
            REASON_NEW_CUSTOMER: self.env._("New customer: awaiting first payment"),
            REASON_OVER_LIMIT: self.env._("Over credit limit"),
            REASON_OVERDUE: self.env._("Overdue invoices"),
        }

    def _credit_hold_reason_text(self, reasons, labels=None):
        """The reasons of a decision in words (stored on the customer)."""
        labels = labels or self._credit_hold_reason_labels()
        return "; ".join(labels[code] for code in reasons) or False

    def _credit_hold_evaluate(self, company, commercial=False, figures=None, known_state=None):
        """Decide and store the hold of these customers in ``company``.

        Writes only the customers whose hold or reason changed, then lets
        :meth:`_credit_hold_on_transition` react to those that went on or came
        off hold.

        :param bool commercial: ``self`` holds commercial partners only (the
            nightly pass): skip mapping contacts to their company
        :param dict figures: figures gathered for the whole company by the
            nightly pass (see :meth:`_credit_hold_compute`)
        :return: (partners put on hold, partners taken off hold)
        """
        partners = self if commercial else self.commercial_partner_id.filtered("id")
        partners = partners.with_company(company).sudo()
        empty = self.env["res.partner"]
        if not partners:
            return empty, empty
        # whatever triggered the evaluation changed the figures shown in this transaction
        self.env["res.partner"].invalidate_model(FIGURE_FIELDS)
        current = {}
        results = partners._credit_hold_compute(company, state=current, figures=figures, known_state=known_state)
        if figures is None:
            # evaluated now with fresh figures: the nightly pass under way must
            # not decide them again from the figures it gathered earlier
            self.env["credit.hold.queue"]._discard(company, partners.ids)
        labels = self._credit_hold_reason_labels()
        groups = defaultdict(list)
        went_on, came_off = [], []
        for pid, (_figures, decision) in results.items():
            reason = self._credit_hold_reason_text(decision.reasons, labels) if decision.on_hold else False
            was_on, was_reason = current[pid]["on_hold"], current[pid]["credit_hold_reason"]
            if was_on == decision.on_hold and was_reason == reason:
                continue
            groups[(decision.on_hold, reason)].append(pid)
            if decision.on_hold and not was_on:
                went_on.append(pid)
            elif was_on and not decision.on_hold:
                came_off.append(pid)
        if groups:
            partners._credit_hold_store(company, groups)
        if groups:
            partners._credit_hold_sync_contacts(commercial_ids=[pid for ids in groups.values() for pid in ids])
        went_on, came_off = partners.browse(went_on), partners.browse(came_off)
        if went_on or came_off:
            partners._credit_hold_on_transition(company, went_on, came_off)
        if company.sudo().credit_hold_auto_release and not self.env.context.get("credit_hold_retrying"):
            if self.env.context.get("credit_hold_cron"):
                # the nightly pass: only customers that came off hold (R12)
                clear = came_off.ids
            else:
                # after a payment or a change: also orders held for their own amount
                clear = [pid for pid, (_figures, decision) in results.items() if not decision.on_hold]
            if clear:
                self._credit_hold_retry_documents(company, clear)
        return went_on, came_off

    @api.model
    def _credit_hold_retry_documents(self, company, partner_ids):
        """R12: documents held for customers that are not on hold any more are
        re-checked and, when they pass, carried through (one search per
        document model for the whole batch)."""
        for model_name in self.env["credit.hold.mixin"]._inherit_children:
            documents = (
                self.env[model_name]
                .sudo()
                .with_company(company)
                .with_context(mail_notrack=False)  # confirmations are tracked as usual
                ._get_credit_hold_documents(company, partner_ids)
            )
            if documents:
                documents._credit_hold_retry()

    def _credit_hold_controller_user(self, company):
        """Who reviews this customer's held documents in ``company``."""
        self.ensure_one()
        user = self.with_company(company).sudo().credit_controller_id or company.sudo().credit_hold_controller_id
        if not user:
            users = self.env.ref(CONTROLLER_GROUP).sudo().users
            user = users.filtered(lambda u: u.active and not u.share and company in u.company_ids)[:1]
        return user

    def _credit_hold_store(self, company, groups):
        """Write the new holds, {(on_hold, reason): [partner ids]}.

        Through the ORM (tracking, automation rules, fields computed from
        ``on_hold``), except in the nightly pass when nothing listens to the
        write: then one UPDATE stores them all, as the ORM would store them.
        """
        if self.env.context.get("credit_hold_cron") and not self._credit_hold_write_listeners():
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET on_hold = CASE WHEN v.on_hold
                                     THEN COALESCE(p.on_hold, '{}'::jsonb) || jsonb_build_object(%(cid)s, true)
                                     ELSE NULLIF(COALESCE(p.on_hold, '{}'::jsonb) - %(cid)s, '{}'::jsonb) END,
                           credit_hold_reason = CASE WHEN v.reason IS NOT NULL
                                     THEN COALESCE(p.credit_hold_reason, '{}'::jsonb)
                                          || jsonb_build_object(%(cid)s, v.reason)
                                     ELSE NULLIF(COALESCE(p.credit_hold_reason, '{}'::jsonb) - %(cid)s,
                                                 '{}'::jsonb) END,
                           write_uid = %(uid)s,
                           write_date = now() AT TIME ZONE 'UTC'
                      FROM unnest(%(ids)s::int[], %(flags)s::bool[], %(reasons)s::text[]) AS v(id, on_hold, reason)
                     WHERE p.id = v.id
                    """,
                    cid=str(company.id),
                    uid=self.env.uid,
                    ids=[pid for ids in groups.values() for pid in ids],
                    flags=[on_hold for (on_hold, _reason), ids in groups.items() for _pid in ids],
                    reasons=[reason or None for (_on_hold, reason), ids in groups.items() for _pid in ids],
                )
            )
            self.env["res.partner"].invalidate_model(["on_hold", "credit_hold_reason", "write_uid", "write_date"])
            for dependent in self._credit_hold_dependents():
                self.env[dependent.model_name].invalidate_model([dependent.name])
            return
        for (on_hold, reason), ids in groups.items():
            self.browse(ids).write({"on_hold": on_hold, "credit_hold_reason": reason})

    @api.model
    def _credit_hold_dependents(self):
        """Fields computed from the hold (res.users mirrors it, not stored)."""
        return [
            dependent
            for name in ("on_hold", "credit_hold_reason")
            for dependent in self.pool.get_dependent_fields(self._fields[name])
        ]

    @api.model
    def _credit_hold_write_listeners(self):
        """Whether anything reacts to an ORM write of the hold: an automation
        rule on customers, or a stored field computed from it."""
        if any(dependent.store for dependent in self._credit_hold_dependents()):
            return True
        if "base.automation" in self.env:
            automations = self.env["base.automation"].sudo()
            return bool(automations.search_count([("model_id.model", "=", "res.partner"), ("active", "=", True)]))
        return False

    def _credit_hold_on_transition(self, company, went_on, came_off):
        """Called after customers went on or came off hold in ``company``
        (R13): a chatter message on each, and an e-mail to the company's
        notification list for those that went on hold. Extend it to react to
        transitions (it runs for transitions only, never for unchanged customers).
        """
        reasons = went_on._credit_hold_read_state(company) if went_on else {}
        bodies = {
            pid: self.env._(
                "Put on credit hold in %(company)s: %(reason)s",
                company=company.name,
                reason=state["credit_hold_reason"],
            )
            for pid, state in reasons.items()
        }
        bodies.update(
            {partner.id: self.env._("Credit hold lifted in %(company)s.", company=company.name) for partner in came_off}
        )
        (went_on | came_off)._credit_hold_log(bodies)
        recipients = company.sudo().credit_hold_notify_partner_ids
        if went_on and recipients:
            template = self.env.ref("credit_hold.mail_template_credit_hold_on").sudo().with_company(company)
            for partner in went_on:
                template.send_mail(
                    partner.id,
                    email_values={
                        "recipient_ids": [Command.set(recipients.ids)],
                        "email_from": company.email_formatted or False,
                    },
                )

    def _credit_hold_log(self, bodies):
        """One chatter message per customer, {partner id: text}: joined to the
        tracking message of on_hold when tracking is on, else logged in one batch."""
        bodies = {pid: Markup("<p>%s</p>") % text for pid, text in bodies.items()}
        if self.env.context.get("credit_hold_cron"):
            self._credit_hold_log_many(bodies)
        elif self.env.context.get("tracking_disable") or self.env.context.get("mail_notrack"):
            self._message_log_batch(bodies)
        else:
            for partner in self:
                partner._track_set_log_message(bodies[partner.id])

    def _credit_hold_log_many(self, bodies):
        """The same notes as ``_message_log_batch``, for thousands of customers
        (the first nightly pass after go-live can change half of them): the
        first note is created by the ORM, the others are copies of its row made
        by one INSERT, which costs what one note costs through the ORM."""
        first, *others = bodies
        template = self.browse(first)._message_log_batch({first: bodies[first]})
        if not others:
            return
        self.env.cr.execute(
            SQL(
                """
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'mail_message'
                   AND column_name NOT IN ('id', 'res_id', 'body', 'message_id')
                """
            )
        )
        names = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_message (res_id, body, message_id, %(columns)s)
                SELECT note.res_id, note.body, m.message_id || '-' || note.res_id, %(copied)s
                  FROM mail_message m, unnest(%(res_ids)s::int[], %(bodies)s::text[]) AS note(res_id, body)
                 WHERE m.id = %(template)s
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                copied=SQL(", ").join(SQL.identifier("m", name) for name in names),
                res_ids=others,
                bodies=[str(bodies[pid]) for pid in others],
                template=template.id,
            )
        )
        self.env["res.partner"].invalidate_model(["message_ids"])

    def _credit_hold_sync_contacts(self, commercial_ids=None, contact_ids=None):
        """Copy the hold of commercial partners to their contacts, all
        companies at once (one UPDATE over the jsonb columns)."""
        self.env["res.partner"].flush_model(["on_hold", "credit_hold_reason", "commercial_partner_id"])
        if commercial_ids:
            where = SQL("c.commercial_partner_id = ANY(%s)", list(commercial_ids))
        else:
            where = SQL("c.id = ANY(%s)", list(contact_ids))
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner c
                   SET on_hold = cp.on_hold, credit_hold_reason = cp.credit_hold_reason
                  FROM res_partner cp
                 WHERE c.commercial_partner_id = cp.id
                   AND c.id != cp.id
                   AND %s
                   AND (c.on_hold IS DISTINCT FROM cp.on_hold
                        OR c.credit_hold_reason IS DISTINCT FROM cp.credit_hold_reason)
                """,
                where,
            )
        )
        if self.env.cr.rowcount:
            self.env["res.partner"].invalidate_model(["on_hold", "credit_hold_reason"])

    @api.model
    def _credit_hold_evaluate_moves(self, moves):
        """Re-evaluate the customers of these journal entries (receivable lines),
        each in the entry's company."""
        lines = moves.sudo().line_ids.filtered(lambda line: line.account_type == "asset_receivable" and line.partner_id)
        self._credit_hold_evaluate_lines(lines)

    @api.model
    def _credit_hold_evaluate_lines(self, lines):
        by_company = defaultdict(set)
        for line in lines:
            by_company[line.company_id].add(line.partner_id.commercial_partner_id.id)
        for company, partner_ids in by_company.items():
            self.browse(partner_ids)._credit_hold_evaluate(company)

    @api.model
    def _cron_evaluate_credit_hold(self, batch_size=5000):
        """Scheduled job: re-evaluate every customer that has an open
        receivable, a confirmed order or a hold, in each company where credit
        hold is enabled (overdue invoices appear with time, not with a write).

        When a company's pass starts, one set-based query gathers the figures
        of all its candidate customers into ``credit.hold.queue`` (one scan of
        the open receivables, near the cost of a bare aggregate). Each call then
        decides and writes one batch from the queue and reports progress with
        Odoo 18's cron progress API; the cron runner commits after each call and
        calls again while customers remain, so a crash or a time-out loses at
        most the batch under way and the next run continues from the queue.

        :return: the number of customers left in the pass (0: complete)
        """
        cron = self.env["ir.cron"]
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CRON_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Credit hold evaluation already running in another transaction: skipped.")
            cron._notify_progress(done=0, remaining=0)
            return 0
        params = self.env["ir.config_parameter"].sudo()
        queue = self.env["credit.hold.queue"]
        companies = self.env["res.company"].sudo().search([("credit_hold_enabled", "=", True)], order="id")
        state = json.loads(params.get_param(EVALUATION_STATE_PARAM) or "null")
        if not state or state.get("company_id") not in companies.ids:
            if not companies:
                params.set_param(EVALUATION_STATE_PARAM, "")
                cron._notify_progress(done=0, remaining=0)
                return 0
            state = self._credit_hold_start_pass(companies[0])
        company = companies.browse(state["company_id"])
        start = time.monotonic()
        figures, known_state = queue._take(company, batch_size)
        batch = self.browse(sorted(figures))
        went_on, came_off = batch.with_context(credit_hold_cron=True, mail_notrack=True)._credit_hold_evaluate(
            company, commercial=True, figures=figures, known_state=known_state
        )
        # an upper bound: customers evaluated in between have left the queue too
        remaining = state["pending"] - len(batch) if len(figures) == batch_size else 0
        if remaining > 0:
            queue._discard(company, batch.ids)
        else:
            # the company's last batch: anything left belongs to deleted customers
            queue._discard(company)
            remaining = 0
        state["pending"] = remaining
        state["evaluated"] += len(batch)
        state["on"] += len(went_on)
        state["off"] += len(came_off)
        state["seconds"] += time.monotonic() - start
        if not remaining:
            _logger.info(
                "Credit hold evaluation of %s: %s customers evaluated, %s put on hold, %s released, in %.1f s",
                company.name,
                state["evaluated"],
                state["on"],
                state["off"],
                state["seconds"],
            )
            following = companies.filtered(lambda c: c.id > company.id)[:1]
            state = self._credit_hold_start_pass(following) if following else None
            remaining = state["pending"] if state else 0
        params.set_param(EVALUATION_STATE_PARAM, json.dumps(state) if state else "")
        cron._notify_progress(done=len(batch), remaining=remaining)
        # keep memory flat over a long pass
        self.env.invalidate_all()
        return remaining

    @api.model
    def _credit_hold_start_pass(self, company):
        """Queue the figures of every candidate customer of ``company`` (one
        query) and return the state of the new pass."""
        start = time.monotonic()
        self._credit_hold_flush()
        policy = company._credit_hold_policy()
        today = fields.Date.context_today(self.with_company(company))
        everyone = SQL("true")
        pending = self.env["credit.hold.queue"]._fill(
            company,
            self._credit_hold_receivables_sql(company, policy, today, everyone),
            self._credit_hold_uninvoiced_sql(company, everyone),
        )
        return {
            "company_id": company.id,
            "pending": pending,
            "evaluated": 0,
            "on": 0,
            "off": 0,
            "seconds": time.monotonic() - start,
        }
