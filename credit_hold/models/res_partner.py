# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's credit fields, what the user sees of them, and who may
change them. The figures are in ``credit_hold_figures.py``, the evaluation in
``res_partner_evaluation.py``, the nightly pass in ``credit_hold_queue.py``."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..decision import THRESHOLD_MAX, text_to_codes
from .res_company import check_range

CONTROLLER_GROUP = "credit_hold.group_credit_controller"
MANAGER_GROUP = "credit_hold.group_credit_manager"

# Only a credit controller may change these (checked on the server in write).
CONTROLLER_FIELDS = {
    "on_hold_type": "automatic",
    "credit_threshold": 0.0,
    "credit_hold_grace_override": False,
    "credit_hold_grace_days": 0,
    "credit_controller_id": False,
    # a temporary limit (res_partner_temp_limit.py): granted with its wizard
    "credit_temp_limit": 0.0,
    "credit_temp_limit_end": False,
    "credit_temp_limit_reason": False,
    "credit_temp_limit_uid": False,
}
# Only the evaluation (running as superuser) writes these.
SYSTEM_FIELDS = ("on_hold", "credit_hold_reason_codes", "credit_hold_main_reason", "credit_hold_awaiting_payment")
# Odoo's own limit fields: while credit hold is on in a company, a credit
# controller's too (Odoo lets every billing user change them).
LIMIT_FIELDS = ("credit_limit", "use_partner_credit_limit")
# Who may read the credit figures: as Odoo's own Total Receivable, plus sales.
FIGURE_GROUPS = "account.group_account_invoice,account.group_account_readonly,sales_team.group_sale_salesman"
# A customer's credit settings are shared by a company and its branches.
SHARED_FIELDS = (*CONTROLLER_FIELDS, "credit_limit")
# Odoo's partner warnings: "Blocking Message" holds the matching documents
WARNING_FIELDS = ("sale_warn", "invoice_warn", "picking_warn")
# A change of any of these re-evaluates the customer at once.
EVALUATE_ON = (set(CONTROLLER_FIELDS) - {"credit_controller_id"}) | {"credit_limit", "use_partner_credit_limit"}
# Figures shown on the customer, computed from other models' lines for the
# current company (never stored: they change with every invoice and payment).
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
    credit_hold_reason_codes = fields.Char(
        string="Hold Reason Codes",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="Why the customer is on hold, as language-independent codes "
        "(enforced, over_limit, overdue, new_customer, ...): filters and group-by use them.",
    )
    credit_hold_main_reason = fields.Selection(
        selection="_selection_credit_hold_main_reason",
        string="Main Hold Reason",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="The first reason of the hold, in words: graphs and group-by use it.",
    )
    credit_hold_reason = fields.Char(
        string="Hold Reason",
        compute="_compute_credit_hold_reason",
        search="_search_credit_hold_reason",
        help="Why the customer is on hold, in your language.",
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
        tracking=True,
        help="Use the grace days below instead of the company's.",
    )
    credit_hold_grace_days = fields.Integer(
        string="Grace Days",
        company_dependent=True,
        copy=False,
        tracking=True,
    )
    credit_controller_id = fields.Many2one(
        comodel_name="res.users",
        company_dependent=True,
        copy=False,
        domain=[("share", "=", False)],
        help="Gets the review activity of this customer's held documents (empty: the company's default controller).",
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
        string="Credit Hold Currency",
        compute="_compute_credit_currency_id",
    )
    total_balance = fields.Monetary(
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="What the customer owes now: unpaid posted receivables in this company and its branches.",
        groups=FIGURE_GROUPS,
    )
    credit_uninvoiced = fields.Monetary(
        string="Orders Not Invoiced",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        groups=FIGURE_GROUPS,
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Total balance plus confirmed sales not yet invoiced.",
        groups=FIGURE_GROUPS,
    )
    overdue_amount = fields.Monetary(
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        help="Unpaid amounts past their due date plus the grace days.",
        groups=FIGURE_GROUPS,
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
        groups=FIGURE_GROUPS,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_figures",
        currency_field="credit_currency_id",
        groups=FIGURE_GROUPS,
    )
    credit_has_limit = fields.Boolean(compute="_compute_credit_figures")
    credit_warning = fields.Boolean(
        string="Near Credit Limit",
        compute="_compute_credit_figures",
        help="At or above the warning percentage of the effective limit, and not on hold for it yet.",
    )
    credit_threshold_default = fields.Float(
        string="Company Default Threshold (%)",
        compute="_compute_credit_threshold_default",
        help="The threshold that applies while the customer's own threshold is 0.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("company", "lang")
    @api.depends("credit_hold_reason_codes")
    def _compute_credit_hold_reason(self):
        reasons = self.env["credit.hold.reason"]
        for partner in self:
            partner.credit_hold_reason = reasons._render_codes(partner.credit_hold_reason_codes)

    def _search_credit_hold_reason(self, operator, value):
        """Search the words in the reader's language, through the codes."""
        if operator not in ("ilike", "=", "not ilike", "!=") or not isinstance(value, str):
            raise UserError(self.env._("The hold reason can only be searched by text."))
        labels = self.env["credit.hold.reason"]._get_labels()
        needle = value.lower()

        def matches(code, label):
            if operator in ("ilike", "not ilike"):
                return needle in label.lower() or needle in code
            return value in (label, code)

        codes = [code for code, label in labels.items() if matches(code, label)]
        domain = ["|"] * (len(codes) - 1) + [("credit_hold_reason_codes", "ilike", code) for code in codes]
        if not codes:
            domain = [("id", "=", 0)]
        if operator in ("not ilike", "!="):
            domain = ["!", *domain]
        return domain

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
                        ("company_id", "in", self.env.company._credit_hold_family().ids),
                        ("credit_status", "=", "held"),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
            counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.credit_held_document_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.model
    def _selection_credit_hold_main_reason(self):
        return self.env["credit.hold.reason"]._get_selection()

    @api.depends_context("company")
    def _compute_credit_threshold_default(self):
        self.credit_threshold_default = self.env.company._credit_hold_root().credit_hold_default_threshold

    @api.depends_context("company")
    def _compute_credit_figures(self):
        commercial = self.commercial_partner_id.filtered("id")
        results = commercial._credit_hold_compute(self.env.company) if commercial else {}
        for partner in self:
            result = results.get(partner.commercial_partner_id.id)
            if not result:
                partner.update(dict.fromkeys(FIGURE_FIELDS, False))
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
                    # near the limit, not over it (one banner says what is true)
                    "credit_warning": decision.warning and not decision.on_hold,
                }
            )

    # ------------------------------------------------------------------
    # Constraints, CRUD
    # ------------------------------------------------------------------

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
            contacts._credit_hold_copy_from_company()
        new_customers = partners.filtered(lambda p: p.commercial_partner_id == p and p.customer_rank > 0)
        if new_customers:
            new_customers._credit_hold_hold_new_customers()
        company = self.env.company
        if company._credit_hold_is_on():
            to_evaluate = self.browse(
                partner.id
                for partner, vals in zip(partners, vals_list, strict=True)
                if EVALUATE_ON & vals.keys() and partner.commercial_partner_id == partner
            )
            to_evaluate._credit_hold_evaluate(company, origin="person")
        return partners

    def write(self, vals):
        self._credit_hold_check_access(vals)
        self._credit_hold_check_lift_authority(vals)
        if "credit_hold_reason_codes" in vals:
            # written with the codes, in the same statement
            codes = text_to_codes(vals["credit_hold_reason_codes"])
            vals = {**vals, "credit_hold_main_reason": codes[0] if codes else False}
        unblocked = self._credit_hold_unblocking(vals)
        res = super().write(vals)
        if unblocked:
            unblocked._credit_hold_retry_unblocked()
        shared = {name: vals[name] for name in SHARED_FIELDS if name in vals}
        if shared:
            # what is set in one company of a family applies to all of them
            for company in self.env.company._credit_hold_family() - self.env.company:
                super(ResPartner, self.with_company(company)).write(shared)
        if "parent_id" in vals or "is_company" in vals:
            contacts = self.filtered(lambda p: p.commercial_partner_id != p)
            if contacts:
                contacts._credit_hold_copy_from_company()
        company = self.env.company
        if EVALUATE_ON & vals.keys() and company._credit_hold_is_on():
            commercial = self.filtered(lambda p: p.commercial_partner_id == p)
            commercial._credit_hold_evaluate(
                company,
                origin="person",
                cause=self.env._("credit settings changed by %(user)s", user=self.env.user.name),
            )
        return res

    def _credit_hold_unblocking(self, vals):
        """The commercial partners whose "Blocking Message" warning this write
        clears (read before the write)."""
        cleared = [name for name in WARNING_FIELDS if name in vals and vals[name] != "block" and name in self._fields]
        if not cleared:
            return self.browse()
        return self.filtered(lambda p: any(p[name] == "block" for name in cleared)).commercial_partner_id

    def _credit_hold_retry_unblocked(self):
        """A blocking warning was cleared: documents held for it are re-checked
        and carried through where the company releases automatically (R12)."""
        roots = (
            self.env["res.company"]
            .sudo()
            .search(
                [("parent_id", "=", False), ("credit_hold_enabled", "=", True), ("credit_hold_auto_release", "=", True)]
            )
        )
        cause = self.env._("blocking warning cleared by %(user)s", user=self.env.user.name)
        for root in roots:
            self._credit_hold_retry_documents(root, self.ids, cause=cause)

    def _fields_sync(self, values):
        # The hold is neither a commercial nor an address field, yet Odoo's
        # sync walks every contact of every customer written (an empty write
        # per contact). The evaluation writes the contacts itself, in one
        # write per group.
        if values and values.keys() <= set(SYSTEM_FIELDS):
            return None
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
        guarded = dict(CONTROLLER_FIELDS)
        if self.env.company._credit_hold_is_on():
            guarded.update(credit_limit=0.0, use_partner_credit_limit=False)
        if ("parent_id" in vals or "is_company" in vals) and self._credit_hold_any_on_hold():
            moving = self.filtered(
                lambda p: ("parent_id" in vals and (vals["parent_id"] or False) != p.parent_id.id)
                or ("is_company" in vals and bool(vals["is_company"]) != p.is_company)
            )
            if moving._credit_hold_any_on_hold():
                raise AccessError(
                    self.env._(
                        "%(partners)s belong to a customer on credit hold: only a Credit Controller can "
                        "detach them from it or move them to another company.",
                        partners=", ".join(moving.mapped("display_name")),
                    )
                )
        for name, default in guarded.items():
            if name not in vals:
                continue
            new = vals[name] or default
            # Saving a form sends unchanged values back: only a real change is refused.
            current = {
                (rec[name].id if isinstance(rec[name], models.BaseModel) else rec[name]) or default
                for rec in self.sudo()
            }
            current = current or {default}
            if current != {new}:
                raise AccessError(
                    self.env._(
                        "Only a Credit Controller can change %(field)s.",
                        field=self._fields[name].string,
                    )
                )

    def _credit_hold_check_lift_authority(self, vals):
        """While Release Authority is on, raising a customer's limit (its
        credit limit, a temporary limit, "no limit", Enforced off hold) lets
        documents through as a release would: a credit controller may set it
        only within their release limit. Credit managers and users with
        unlimited authority are free; lowering a limit is always allowed."""
        if self.env.su or not {"credit_limit", "credit_temp_limit", "on_hold_type"} & vals.keys():
            return
        company = self.env.company
        root = company._credit_hold_root()
        user = self.env.user
        if not root.credit_hold_release_authority or user.has_group(MANAGER_GROUP):
            return
        authority = user._credit_release_authority(company)
        if authority is None:
            return
        currency = root.currency_id
        for partner in self.sudo():
            raised = []  # (what, figure or None for no limit)
            if vals.get("on_hold_type") == "enforced_off" and partner.on_hold_type != "enforced_off":
                raised.append((self._fields["on_hold_type"].string, None))
            if "credit_limit" in vals:
                new, old = vals["credit_limit"] or 0.0, partner.credit_limit
                if currency.compare_amounts(new, old) and (not new or (old and new > old)):
                    raised.append((self._fields["credit_limit"].string, new or None))
            if (
                vals.get("credit_temp_limit")
                and currency.compare_amounts(vals["credit_temp_limit"], partner.credit_temp_limit or 0.0) > 0
            ):
                raised.append((self._fields["credit_temp_limit"].string, vals["credit_temp_limit"]))
            for what, figure in raised:
                if figure is not None and currency.compare_amounts(figure, authority) <= 0:
                    continue
                raise UserError(
                    self.env._(
                        "%(partner)s: the %(field)s you set would let %(figure)s through, beyond your release "
                        "limit of %(limit)s. Ask a Credit Manager.",
                        partner=partner.display_name,
                        field=what,
                        figure=format_amount(self.env, figure, currency) if figure else self.env._("any amount"),
                        limit=format_amount(self.env, authority, currency),
                    )
                )

    def _credit_hold_any_on_hold(self):
        """Whether the commercial partner of any of these is on hold in a
        company where credit hold is on (any company: a contact moved in one
        company moves in all)."""
        commercial = self.commercial_partner_id.sudo()
        if not commercial:
            return False
        roots = self.env["res.company"].sudo().search([("credit_hold_enabled", "=", True), ("parent_id", "=", False)])
        return any(commercial.with_company(root).filtered("on_hold") for root in roots)

    def _increase_rank(self, field, n=1):
        # R14: a partner becomes a customer with its first invoice, whatever
        # the way it was created (Contacts, import, another module)
        new = self.browse()
        if field == "customer_rank":
            new = self.filtered(lambda p: p.commercial_partner_id == p and not p.customer_rank)
        res = super()._increase_rank(field, n)
        new = new.filtered("customer_rank")
        if new:
            new._credit_hold_hold_new_customers()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _credit_hold_check_controller(self):
        if not self.env.user.has_group(CONTROLLER_GROUP):
            raise AccessError(self.env._("Only a Credit Controller can do this."))

    def _credit_hold_set_type(self, hold_type):
        self._credit_hold_check_controller()
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

    def action_evaluate_credit_hold(self):
        """Button: re-evaluate the credit hold of these customers now, in each
        of the user's selected companies (controllers only). Only customers
        whose hold or reasons change are written."""
        self._credit_hold_check_controller()
        commercial = self.commercial_partner_id.filtered("id")
        for root in self.env.companies.root_id:
            if root.credit_hold_enabled:
                commercial._credit_hold_evaluate(root, origin="person")
        return True

    def action_view_credit_held_documents(self):
        """Smart button: the held documents of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_hold_document_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_held": 1}
        return action

    def action_view_overdue_invoices(self):
        """Smart button: the documents whose receivable lines the overdue rule
        counted (R7, R19), exactly as the figures count them."""
        self.ensure_one()
        partner = self.commercial_partner_id
        move_ids = partner._credit_hold_overdue_move_ids(self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", move_ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        action["name"] = self.env._("Overdue Invoices")
        return action

    def action_view_credit_history(self):
        """Smart button: every change of this customer's hold in this company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_hold_history_action")
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company._credit_hold_root().id),
        ]
        return action
