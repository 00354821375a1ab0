# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's credit: its fields, what the user sees of them and who may
change them; the evaluation (figures -> decide() -> store -> transitions);
temporary limits and the history of limit changes; what the portal shows.
The figures are in ``credit_hold_figures.py``, the nightly pass in
``credit_hold_queue.py``.

Every path that decides a customer's hold goes through
:meth:`ResPartner._credit_hold_evaluate`: a posted invoice, a payment, a
change of limit, a controller's button and the nightly pass alike. Holds are
written through the ORM, one ``write()`` per group of customers with the same
new values, and every change is recorded in ``credit.hold.history``."""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_amount, format_date

from ..compat import cached_values, group_users
from ..decision import THRESHOLD_MAX, Figures, codes_to_text, decide, limit_in_force, text_to_codes
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

STATE_FIELDS = [
    "on_hold_type",
    "credit_limit",
    "credit_temp_limit",
    "credit_temp_limit_end",
    "credit_threshold",
    "credit_hold_awaiting_payment",
    "credit_hold_grace_override",
    "credit_hold_grace_days",
    "on_hold",
    "credit_hold_reason_codes",
]
NO_FIGURES = (0.0, 0.0, 0, 0.0)
# Where a change comes from: the nightly pass (no chatter, no Odoo tracking),
# an event such as a payment or a posted invoice, or a person's decision.
ORIGINS = ("nightly", "event", "person")


# The customer's fields and buttons are in res_partner.py: one concern a file.

TEMP_LIMIT_FIELDS = ("credit_temp_limit", "credit_temp_limit_end", "credit_temp_limit_reason", "credit_temp_limit_uid")
# Each change of these is listed in credit.limit.history (and tracked in the chatter).
LIMIT_HISTORY_FIELDS = (
    "credit_limit",
    "credit_threshold",
    "credit_hold_grace_override",
    "credit_hold_grace_days",
    "on_hold_type",
    "credit_temp_limit",
    "credit_temp_limit_end",
)

# the customer invoices a customer can pay in the portal
PAYABLE_MOVE_TYPES = ("out_invoice", "out_receipt")


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
        # the limit settings' changes are listed in credit.limit.history
        history_names = [name for name in LIMIT_HISTORY_FIELDS if name in vals]
        if history_names:
            customers = self.sudo().filtered(lambda p: p.commercial_partner_id == p)
            before = {partner.id: {name: partner[name] for name in history_names} for partner in customers}
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
        if history_names:
            customers._credit_limit_record_changes(before, history_names)
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

    # ------------------------------------------------------------------
    # The evaluation: figures -> decide() -> store -> transitions
    # ------------------------------------------------------------------

    def _credit_hold_compute(self, company, figures=None, state=None, lock=False, extra_fields=()):
        """Figures and decision of these commercial partners in ``company``
        (its root company and branches).

        A constant number of queries whatever the number of partners or of
        their invoices: one fetch of the partners' settings, one statement
        for their receivables and orders not invoiced (and the lock).

        :param dict figures: figures already gathered (the nightly pass), in
            the shape of ``credit.hold.figures._gather``
        :param dict state: the partners' settings, already read (see
            :meth:`_credit_hold_state`)
        :param bool lock: take the partners' check lock with their figures
            (see ``credit.hold.mixin._credit_hold_customer_results``)
        :param extra_fields: other fields of the partners to fetch with their
            settings, in the same statement (what the caller reads next)
        :return: {partner_id: (Figures, Decision)}
        """
        if not self:
            return {}
        root = company._credit_hold_root()
        policy = root._credit_hold_policy()
        partners = self.with_company(root).sudo()
        if state is None:
            state = partners._credit_hold_state(extra_fields)
        if figures is None:
            today = self._credit_hold_today()
            overrides = {
                pid: values["credit_hold_grace_days"]
                for pid, values in state.items()
                if values["credit_hold_grace_override"]
            }
            figures = self.env["credit.hold.figures"]._gather(
                root, partners, today, policy.grace_days, overrides, lock=lock
            )
        digits = policy.digits
        # the day a temporary limit is judged on, only read when one is set
        limit_day = None
        results = {}
        for pid, values in state.items():
            limit = values["credit_limit"] or 0.0
            if values["credit_temp_limit_end"]:
                limit_day = limit_day or self._credit_hold_today()
                limit = limit_in_force(limit, values["credit_temp_limit"], values["credit_temp_limit_end"], limit_day)
            balance, overdue_amount, overdue_count, uninvoiced = figures.get(pid, NO_FIGURES)
            customer = Figures(
                hold_type=values["on_hold_type"] or "automatic",
                credit_limit=limit,
                threshold=values["credit_threshold"] or None,
                total_balance=round(balance or 0.0, digits),
                uninvoiced=round(uninvoiced or 0.0, digits),
                overdue_amount=round(overdue_amount or 0.0, digits),
                overdue_count=overdue_count or 0,
                awaiting_first_payment=bool(values["credit_hold_awaiting_payment"]),
            )
            results[pid] = (customer, decide(policy, customer))
        return results

    @api.model
    def _credit_hold_today(self):
        """Today in the user's time zone, as ``fields.Date.context_today``,
        with the time zone from the context or from Odoo's cached user
        context (``res.users.context_get``): the user's own row is not read
        for it."""
        tz = self.env.context.get("tz") or self.env["res.users"].context_get().get("tz")
        return fields.Date.context_today(self.env["res.users"].browse().with_context(tz=tz or "UTC"))

    def _credit_hold_state(self, extra_fields=()):
        """{partner id: {field: value}} of :data:`STATE_FIELDS` for these
        partners in the company of the environment: one fetch (with
        ``extra_fields``), then the values taken from the ORM's cache a
        column at a time (reading them record by record costs more than
        deciding, in the nightly pass)."""
        self.fetch(STATE_FIELDS + list(extra_fields))
        columns = {}
        for name in STATE_FIELDS:
            column = cached_values(self, name)
            if len(column) != len(self):  # not all cached (a concurrent invalidation)
                column = [partner[name] for partner in self]
            columns[name] = column
        return {pid: {name: columns[name][index] for name in STATE_FIELDS} for index, pid in enumerate(self._ids)}

    def _credit_hold_evaluate(self, company, origin="event", auto_release=True, figures=None, cause=None):
        """Decide and store the hold of these customers in ``company`` (its
        root company and branches).

        :param str origin: one of :data:`ORIGINS`
        :param bool auto_release: re-check the held documents of customers
            not on hold (R12), when the company releases automatically
        :param dict figures: figures gathered by the nightly pass
        :param str cause: what changed, in words, for the notes of documents
            carried through because of it
        :return: (partners put on hold, partners taken off hold)
        """
        # the nightly pass gives its figures for commercial partners already
        partners = self if figures is not None else self.commercial_partner_id.filtered("id")
        root = company._credit_hold_root()
        partners = partners.with_company(root).sudo()
        if not partners:
            return partners, partners
        # whatever triggered the evaluation changed the figures shown in this transaction
        self.env["res.partner"].invalidate_model(FIGURE_FIELDS)
        state = partners._credit_hold_state()
        results = partners._credit_hold_compute(root, figures=figures, state=state)
        if figures is None:
            # decided now with fresh figures: a nightly pass under way must not
            # decide them again from the figures it gathered earlier
            self.env["credit.hold.queue"]._discard(root, partners.ids)
        went_on, came_off = partners._credit_hold_store(root, results, origin, state=state)
        if auto_release and root.credit_hold_auto_release:
            # also documents held for their own amount, and those a user could
            # not carry through when the hold lifted (one search a batch)
            clear = [pid for pid, (_figures, decision) in results.items() if not decision.on_hold]
            if clear:
                self._credit_hold_retry_documents(root, clear, cause=cause)
        return went_on, came_off

    def _credit_hold_store(self, root, results, origin, state=None):
        """Write the decisions of ``results`` that change something, record
        them in the credit history and let :meth:`_credit_hold_on_transition`
        react to customers that went on or came off hold.

        ``self`` holds the customers, already fetched in ``root``. One ORM
        ``write()`` per group of customers getting the same values, in the
        root company and each branch, and one for their contacts.
        """
        groups = defaultdict(list)
        went_on, came_off, history = [], [], []
        for pid, values in (state or self._credit_hold_state()).items():
            decision = results[pid][1]
            codes = codes_to_text(decision.reasons)
            was_on = bool(values["on_hold"])
            if was_on == decision.on_hold and (values["credit_hold_reason_codes"] or False) == codes:
                continue
            groups[(decision.on_hold, codes)].append(pid)
            if decision.on_hold and not was_on:
                went_on.append(pid)
            elif was_on and not decision.on_hold:
                came_off.append(pid)
            history.append(
                {
                    "partner_id": pid,
                    "company_id": root.id,
                    "on_hold": decision.on_hold,
                    "reason_codes": codes,
                    "origin": origin,
                }
            )
        if not groups:
            return self.browse(), self.browse()
        family = root._credit_hold_family()
        # the nightly pass records each change in the history itself: Odoo's
        # tracking would read every old value and post a message per customer
        writer = self.with_context(tracking_disable=True) if origin == "nightly" else self
        for (on_hold, codes), ids in groups.items():
            values = {"on_hold": on_hold, "credit_hold_reason_codes": codes}
            contacts = self.with_context(active_test=False, tracking_disable=True).search(
                [("commercial_partner_id", "in", ids), ("id", "not in", ids)]
            )
            for company in family:
                writer.browse(ids).with_company(company).write(values)
                if contacts:
                    contacts.with_company(company).write(values)
        self.env["credit.hold.history"].sudo().create(history)
        went_on, came_off = self.browse(went_on), self.browse(came_off)
        if went_on or came_off:
            self._credit_hold_on_transition(root, went_on, came_off, origin)
        return went_on, came_off

    def _credit_hold_on_transition(self, company, went_on, came_off, origin):
        """Called after customers went on or came off hold in ``company``
        (R13): a note in the chatter of each when a person or an event caused
        it (the nightly pass records the change in the credit history only),
        and an e-mail to the company's notification list for those that went
        on hold. Extend it to react to transitions (it runs for transitions
        only, never for unchanged customers).
        """
        if origin != "nightly":
            bodies = {
                partner.id: Markup("<p>%s</p>")
                % self.env._(
                    "Put on credit hold in %(company)s: %(reason)s",
                    company=company.name,
                    reason=partner.credit_hold_reason,
                )
                for partner in went_on
            }
            bodies.update(
                {
                    partner.id: Markup("<p>%s</p>")
                    % self.env._("Credit hold lifted in %(company)s.", company=company.name)
                    for partner in came_off
                }
            )
            (went_on | came_off)._message_log_batch(bodies)
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

    @api.model
    def _credit_hold_retry_documents(self, company, partner_ids, cause=None):
        """R12: documents held for customers that are not on hold any more are
        re-checked and, when they pass, carried through (one search per
        document model for the whole batch)."""
        for model_name in self.env["credit.hold.mixin"]._credit_hold_document_models():
            documents = self.env[model_name].sudo()._get_credit_hold_documents(company, partner_ids)
            if documents:
                # carried through as the user whose action lifted the hold
                documents.with_env(self.env)._credit_hold_retry(cause=cause)

    @api.model
    def _cron_credit_hold_carry_through(self):
        """Scheduled job, triggered when a hold lifted and the user who lifted
        it could not confirm or post some of the held documents (R12): they
        are re-checked and carried through as the job's user. Reads only the
        customers that have held documents."""
        roots = (
            self.env["res.company"]
            .sudo()
            .search(
                [("parent_id", "=", False), ("credit_hold_enabled", "=", True), ("credit_hold_auto_release", "=", True)]
            )
        )
        for root in roots:
            partners = self.browse()
            for model_name in self.env["credit.hold.mixin"]._credit_hold_document_models():
                held = (
                    self.env[model_name]
                    .sudo()
                    .search([("credit_status", "=", "held"), ("company_id", "in", root._credit_hold_family().ids)])
                )
                partners |= self.browse({doc._credit_hold_partner().id for doc in held})
            if partners:
                partners._credit_hold_evaluate(root, cause=self.env._("the scheduled re-check"))

    def _credit_hold_controller_user(self, company):
        """Who reviews this customer's held documents in ``company``."""
        self.ensure_one()
        user = self.with_company(company).sudo().credit_controller_id or company.sudo().credit_hold_controller_id
        if not user:
            users = group_users(self.env, CONTROLLER_GROUP)
            user = users.filtered(lambda u: u.active and not u.share and company in u.company_ids)[:1]
        return user

    def _credit_hold_overdue_move_ids(self, company):
        """The journal entries whose lines the overdue rule counts for this
        commercial partner in ``company`` (the same SQL as the figures)."""
        self.ensure_one()
        root = company._credit_hold_root()
        partner = self.with_company(root).sudo()
        policy = root._credit_hold_policy()
        overrides = {partner.id: partner.credit_hold_grace_days} if partner.credit_hold_grace_override else {}
        return self.env["credit.hold.figures"]._overdue_move_ids(
            root, partner, fields.Date.context_today(partner), policy.grace_days, overrides
        )

    def _credit_hold_hold_new_customers(self):
        """R14: in each company that asks for it, a new customer starts on hold
        until its first payment is reconciled."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("credit_hold_enabled", "=", True),
                    ("credit_hold_new_customers", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        for company in companies:
            partners = self.with_company(company).sudo()
            partners.write({"credit_hold_awaiting_payment": True})
            partners._credit_hold_evaluate(company)

    def _credit_hold_copy_from_company(self):
        """Contacts show the hold of their commercial partner (all companies)."""
        roots = self.env["res.company"].sudo().search([("credit_hold_enabled", "=", True)]).root_id
        if not roots:
            return
        for company in self.env["res.company"].sudo().search([("id", "child_of", roots.ids)]):
            contacts = self.with_company(company).sudo()
            groups = defaultdict(list)
            for contact in contacts:
                commercial = contact.commercial_partner_id
                values = (commercial.on_hold, commercial.credit_hold_reason_codes or False)
                if (contact.on_hold, contact.credit_hold_reason_codes or False) != values:
                    groups[values].append(contact.id)
            for (on_hold, codes), ids in groups.items():
                contacts.browse(ids).with_context(tracking_disable=True).write(
                    {"on_hold": on_hold, "credit_hold_reason_codes": codes}
                )

    @api.model
    def _credit_hold_evaluate_moves(self, moves):
        """Re-evaluate the customers of these journal entries (receivable
        lines), each in the entry's company."""
        lines = moves.sudo().line_ids.filtered(lambda line: line.account_type == "asset_receivable" and line.partner_id)
        self._credit_hold_evaluate_lines(lines)

    @api.model
    def _credit_hold_evaluate_lines(self, lines, cause=None):
        by_root = defaultdict(set)
        for line in lines:
            root = line.company_id._credit_hold_root()
            if root.credit_hold_enabled:
                by_root[root].add(line.partner_id.commercial_partner_id.id)
        for root, partner_ids in by_root.items():
            self.browse(partner_ids)._credit_hold_evaluate(root, cause=cause)

    @api.model
    def _cron_evaluate_credit_hold(self, batch_size=5000):
        """Scheduled job: re-evaluate every customer (see credit.hold.queue).

        :return: the number of customers left in the pass (0: complete)
        """
        return self.env["credit.hold.queue"]._run_batch(batch_size)

    # ------------------------------------------------------------------
    # Temporary limits (R5) and the history of limit changes
    # ------------------------------------------------------------------

    # Odoo's own limit: its changes are tracked in the chatter
    credit_limit = fields.Float(tracking=True)
    credit_temp_limit = fields.Float(
        groups=FIGURE_GROUPS,
        string="Temporary Limit",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="Replaces the credit limit until the day before its end date (the threshold applies on top of it).",
    )
    credit_temp_limit_end = fields.Date(
        groups=FIGURE_GROUPS,
        string="Temporary Limit Until",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="On this date (excluded from the temporary limit) the permanent credit limit applies again.",
    )
    credit_temp_limit_reason = fields.Char(
        groups=FIGURE_GROUPS,
        string="Temporary Limit Reason",
        company_dependent=True,
        copy=False,
    )
    credit_temp_limit_uid = fields.Many2one(
        groups=FIGURE_GROUPS,
        comodel_name="res.users",
        string="Temporary Limit Granted By",
        company_dependent=True,
        copy=False,
    )
    credit_temp_limit_active = fields.Boolean(
        groups=FIGURE_GROUPS,
        string="Temporary Limit in Force",
        compute="_compute_credit_temp_limit_active",
    )

    @api.depends_context("company")
    @api.depends("credit_temp_limit", "credit_temp_limit_end")
    def _compute_credit_temp_limit_active(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.credit_temp_limit_active = bool(
                partner.credit_temp_limit and partner.credit_temp_limit_end and today < partner.credit_temp_limit_end
            )

    # ------------------------------------------------------------------
    # Temporary limits: constraints and tracking
    # ------------------------------------------------------------------

    @api.constrains("credit_temp_limit", "credit_temp_limit_end")
    def _check_credit_temp_limit(self):
        today = fields.Date.context_today(self)
        for partner in self.sudo():
            amount, end = partner.credit_temp_limit, partner.credit_temp_limit_end
            if not amount and not end:
                continue
            error = None
            if amount < 0:
                error = self.env._("the Temporary Limit cannot be negative.")
            elif not amount:
                error = self.env._("give the Temporary Limit.")
            elif not end:
                error = self.env._("give the date the temporary limit ends (Temporary Limit Until).")
            elif end <= today:
                error = self.env._(
                    "Temporary Limit Until must be after today: the permanent limit applies again on that date."
                )
            elif (end - today).days > (cap := self.env.company._credit_hold_root().credit_temp_limit_max_days):
                error = self.env._(
                    "Temporary Limit Until can be at most %(days)s days from today (Longest Temporary Limit, "
                    "in the Credit Hold settings): %(date)s at the latest.",
                    days=cap,
                    date=format_date(self.env, fields.Date.add(today, days=cap)),
                )
            elif not partner.credit_limit:
                error = self.env._(
                    "the customer has no Credit Limit: a Temporary Limit can only raise an existing limit."
                )
            elif amount <= partner.credit_limit:
                error = self.env._(
                    "the Temporary Limit (%(amount)s) must be higher than the Credit Limit (%(limit)s): "
                    "use the permanent limit instead.",
                    amount=format_amount(self.env, amount, self.env.company.currency_id),
                    limit=format_amount(self.env, partner.credit_limit, self.env.company.currency_id),
                )
            if error:
                raise ValidationError(self.env._("%(partner)s: %(error)s", partner=partner.display_name, error=error))

    def _track_get_fields(self):
        # Odoo tracks only the fields the writing user may read (fields_get):
        # a credit controller without accounting rights changes the limit
        # without seeing it, and the chatter would show nothing. The tracking
        # values keep the field's groups, so readers see them as they may.
        fnames = super()._track_get_fields() or set()
        return fnames | {name for name in LIMIT_HISTORY_FIELDS if self._fields[name].tracking}

    def _credit_limit_record_changes(self, before, names):
        """One row of credit.limit.history per changed field and customer
        (one ``create()`` for the whole write), in the root company of the
        environment: the limit settings are shared by a company's branches."""
        root = self.env.company._credit_hold_root()
        rows = []
        for partner in self:
            for name in names:
                old, new = before[partner.id][name], partner[name]
                if (old or False) == (new or False):
                    continue
                rows.append(
                    {
                        "partner_id": partner.id,
                        "company_id": root.id,
                        "field_name": name,
                        "old_value": partner._credit_limit_format(name, old, root),
                        "new_value": partner._credit_limit_format(name, new, root),
                    }
                )
        if rows:
            self.env["credit.limit.history"].sudo().create(rows)

    def _credit_limit_format(self, name, value, company):
        """A value of a limit field, as the history shows it."""
        field = self._fields[name]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if value is False or value is None:
            return ""
        if name in ("credit_limit", "credit_temp_limit"):
            return format_amount(self.env, value, company.currency_id) if value else ""
        if field.type == "date":
            return format_date(self.env, value)
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if name == "credit_threshold":
            return f"{value:g} %" if value else self.env._("company default")
        return str(value)

    # ------------------------------------------------------------------
    # Temporary limits: actions
    # ------------------------------------------------------------------

    def action_credit_temp_limit(self):
        """Button: the wizard granting a temporary limit (controllers only)."""
        self.ensure_one()
        self._credit_hold_check_controller()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Temporary Credit Limit"),
            "res_model": "credit.hold.temp.limit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_credit_temp_limit_end(self):
        """Button: end the temporary limit now (controllers only)."""
        self._credit_hold_check_controller()
        partners = self.commercial_partner_id.filtered("credit_temp_limit_end")
        if partners:
            partners.write(dict.fromkeys(TEMP_LIMIT_FIELDS, False))
            partners._message_log_batch(
                dict.fromkeys(
                    partners.ids,
                    Markup("<p>%s</p>")
                    % self.env._(
                        "Temporary credit limit ended by %(user)s in %(company)s.",
                        user=self.env.user.name,
                        company=self.env.company.name,
                    ),
                )
            )
        return True

    def action_view_credit_limit_history(self):
        """Smart button: the changes of this customer's limit settings in this company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_limit_history_action")
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company._credit_hold_root().id),
        ]
        return action

    # ------------------------------------------------------------------
    # Temporary limits: granting, ending, recording
    # ------------------------------------------------------------------

    def _credit_hold_grant_temp_limit(self, amount, end_date, reason):
        """Grant this customer a temporary limit in the current company (and
        its branches), replacing the one in force; the customer is evaluated
        again at once (a customer under the new limit comes off hold and its
        documents are released, R12)."""
        self.ensure_one()
        self._credit_hold_check_controller()
        if self.commercial_partner_id != self:
            raise UserError(
                self.env._(
                    "The credit of a contact is the credit of its company: grant the temporary limit on %(company)s.",
                    company=self.commercial_partner_id.display_name,
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the temporary limit: it is kept in the credit history."))
        company = self.env.company._credit_hold_root()
        previous = self.sudo()
        replaced = None
        if previous.credit_temp_limit_end:
            replaced = self.env._(
                " It replaces the temporary limit of %(amount)s until %(end)s granted by %(user)s (%(reason)s).",
                amount=format_amount(self.env, previous.credit_temp_limit, company.currency_id),
                end=format_date(self.env, previous.credit_temp_limit_end),
                user=previous.credit_temp_limit_uid.name or "?",
                reason=previous.credit_temp_limit_reason or "",
            )
        self.write(
            {
                "credit_temp_limit": amount,
                "credit_temp_limit_end": end_date,
                "credit_temp_limit_reason": reason,
                "credit_temp_limit_uid": self.env.user.id,
            }
        )
        body = self.env._(
            "Temporary credit limit of %(amount)s until %(end)s (excluded) granted by %(user)s in %(company)s: "
            "%(reason)s.",
            amount=format_amount(self.env, amount, company.currency_id),
            end=format_date(self.env, end_date),
            user=self.env.user.name,
            company=company.name,
            reason=reason,
        )
        self._message_log(body=Markup("<p>%s</p>") % (body + (replaced or "")))
        return True

    @api.model
    def _credit_hold_expire_temp_limits(self, company):
        """Nightly pass: the temporary limits of ``company`` (a root company)
        ending today or earlier are removed (the permanent limit applies
        again), the customers evaluated again, and whoever granted the limit
        gets an activity. One search and one write for all of them.

        :return: the customers whose temporary limit ended
        """
        partners = self.with_company(company).sudo()
        today = fields.Date.context_today(partners)
        expired = partners.search([("credit_temp_limit_end", "<=", today)])
        expired = expired.filtered(lambda p: p.commercial_partner_id == p)
        if not expired:
            return expired
        granted = {
            partner.id: (partner.credit_temp_limit, partner.credit_temp_limit_end, partner.credit_temp_limit_uid)
            for partner in expired
        }
        # the write records the change in the history and evaluates them again
        expired.write(dict.fromkeys(TEMP_LIMIT_FIELDS, False))
        currency = company.currency_id
        bodies = {}
        for partner in expired:
            amount, end, user = granted[partner.id]
            text = self.env._(
                "The temporary credit limit of %(amount)s ended on %(end)s in %(company)s: the credit limit of "
                "%(limit)s applies again.",
                amount=format_amount(self.env, amount, currency),
                end=format_date(self.env, end),
                company=company.name,
                limit=format_amount(self.env, partner.credit_limit, currency),
            )
            bodies[partner.id] = Markup("<p>%s</p>") % text
            if not user.active:
                user = partner._credit_hold_controller_user(company)
            if user:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Temporary credit limit ended"),
                    note=text,
                )
        expired._message_log_batch(bodies)
        return expired

    # ------------------------------------------------------------------
    # The customer's side: what the portal shows
    # ------------------------------------------------------------------

    def _credit_hold_portal_status(self, company, entries=None, with_invoices=True):
        """What the portal shows a customer of its own credit hold in
        ``company`` (the page's company), or None when it shows nothing: the
        customer is not on hold there, or the company chose not to say.

        The caller has made sure that the visitor is this customer (or, for
        a held quotation opened with its access token, passes the quotation's
        reasons in ``entries`` and ``with_invoices=False``): everything is
        read as superuser here.

        :param list entries: the reasons to say (a held document's), instead
            of the customer's own
        :param bool with_invoices: list the customer's overdue invoices and
            held quotations
        :return: {"lines": [sentences], "invoices": overdue invoices (sudo),
            "orders": held quotations (sudo),
            "visibility": the company's setting, "currency"}
        """
        self.ensure_one()
        root = company._credit_hold_root().sudo()
        if not root.credit_hold_enabled:
            return None
        visibility = root.credit_hold_portal_visibility
        partner = self.commercial_partner_id.with_company(root).sudo()
        if entries is None:
            if visibility == "off" or not partner.on_hold:
                return None
            _figures, decision = partner._credit_hold_compute(root)[partner.id]
            if decision.on_hold:
                entries = decision.reason_entries()
            else:  # the stored hold is not re-decided yet: its reasons, without figures
                entries = [{"code": code, "figures": {}} for code in text_to_codes(partner.credit_hold_reason_codes)]
        invoices = self.env["account.move"].sudo()
        if with_invoices:
            invoices = (
                invoices.browse(partner._credit_hold_overdue_move_ids(root))
                .filtered(
                    lambda move: move.move_type in PAYABLE_MOVE_TYPES
                    and move.state == "posted"
                    and not move.currency_id.is_zero(move.amount_residual)
                )
                .sorted(lambda move: (move.invoice_date_due, move.id))
            )
        orders = self.env["sale.order"].sudo()
        if with_invoices:
            orders = orders._get_credit_hold_documents(root, partner.ids)
        return {
            "lines": self.env["credit.hold.reason"]._render_customer_words(entries, root.currency_id, visibility),
            "invoices": invoices,
            "orders": orders,
            "visibility": visibility,
            "currency": root.currency_id,
        }
