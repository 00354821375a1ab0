# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache

from ..decision import THRESHOLD_MAX, Policy


def check_range(records, fname, is_valid, allowed):
    """Refuse a value out of its range with a message naming the field, the
    record and the allowed values."""
    field = records._fields[fname]
    for record in records:
        value = record[fname]
        if not is_valid(value):
            raise ValidationError(
                records.env._(
                    "%(field)s of %(record)s must be %(allowed)s (got %(value)s).",
                    field=field.string,
                    record=record.display_name,
                    allowed=allowed,
                    value=value,
                )
            )


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_hold_enabled = fields.Boolean(
        string="Credit Hold",
        help="Master switch: while off, no customer of this company is ever held "
        "(figures are still computed and shown).",
    )
    credit_hold_over_limit = fields.Boolean(
        string="Hold Over Credit Limit",
        default=True,
        help="Put a customer on hold when the compared amount reaches its effective credit limit.",
    )
    credit_hold_overdue = fields.Boolean(
        string="Hold Overdue Customers",
        default=True,
        help="Put a customer on hold when a posted invoice is unpaid past its due date plus the grace days.",
    )
    credit_hold_grace_days = fields.Integer(
        string="Grace Days",
        help="Days after the due date before an unpaid invoice counts as overdue.",
    )
    credit_temp_limit_max_days = fields.Integer(
        string="Longest Temporary Limit (Days)",
        default=90,
        help="A temporary credit limit ends at most this many days after it is granted.",
    )
    credit_hold_overdue_min_amount = fields.Monetary(
        string="Minimum Overdue Amount",
        currency_field="currency_id",
        help="Overdue amounts below this are ignored (left-over cents hold nobody).",
    )
    credit_hold_limit_basis = fields.Selection(
        selection=[
            ("balance", "Total balance"),
            ("exposure", "Exposure (balance + orders not invoiced)"),
        ],
        string="Compare Limit With",
        default="balance",
        required=True,
    )
    credit_hold_default_threshold = fields.Float(
        string="Default Threshold (%)",
        default=100.0,
        help="Percentage of the credit limit at which a customer is held when the "
        "customer has no threshold of its own. Below 100 holds earlier, above 100 is a buffer.",
    )
    credit_hold_warning_percent = fields.Float(
        string="Warning at (%)",
        default=90.0,
        help="Show a warning on the customer and its quotations from this percentage "
        "of the effective limit; nothing is blocked.",
    )

    credit_hold_prevent_orders = fields.Boolean(
        string="Hold Orders",
        default=True,
        help="Confirming a quotation of a customer on hold, or one that would take the customer "
        "over its limit, leaves it a quotation, credit-held, for a credit controller to release.",
    )
    credit_hold_prevent_invoices = fields.Boolean(
        string="Hold Invoices",
        help="Posting a customer invoice of a customer on hold leaves it in draft, credit-held. "
        "Off by default: invoicing goes on so that the customer can pay. Credit notes are never held.",
    )
    credit_hold_auto_release = fields.Boolean(
        string="Release Automatically",
        default=True,
        help="When a customer comes off hold, re-check its held documents and carry through "
        "(confirm, post) those that now pass.",
    )
    credit_hold_release_authority = fields.Boolean(
        string="Release Authority",
        help="Credit controllers release a held document only within their release limit (set per user "
        "by a Credit Manager): the customer's exposure including the document. Beyond it they escalate. "
        "Off: every credit controller releases any amount.",
    )
    credit_hold_controller_id = fields.Many2one(
        comodel_name="res.users",
        string="Default Credit Controller",
        domain=[("share", "=", False)],
        help="Gets the review activity of held documents of customers without a controller of their own.",
    )

    credit_hold_notify_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_company_credit_hold_notify_rel",
        column1="company_id",
        column2="partner_id",
        string="Notify on Hold",
        help="E-mailed when a customer goes on hold (empty: no e-mail).",
    )
    credit_hold_new_customers = fields.Boolean(
        string="Hold New Customers",
        help="A new customer starts on hold until its first payment is reconciled.",
    )
    # the customer's side (portal): controllers/portal.py, models/credit_hold_portal.py
    credit_hold_portal_visibility = fields.Selection(
        selection=[("off", "Off"), ("reason", "Reason"), ("figures", "Reason and amounts")],
        string="Show Credit Status in Portal",
        default="reason",
        required=True,
        help="What a customer on hold sees in the portal: nothing, the reason in words, "
        "or the reason with the amounts (overdue amount, how far over the limit).",
    )
    credit_hold_notify_customer = fields.Boolean(
        string="Tell Customers About Holds",
        help="E-mail the customer when a quotation of theirs is held, with the reason and a link to pay "
        "in the portal (never for holds a credit controller put on).",
    )

    @api.constrains(
        "credit_hold_grace_days",
        "credit_temp_limit_max_days",
        "credit_hold_overdue_min_amount",
        "credit_hold_default_threshold",
        "credit_hold_warning_percent",
    )
    def _check_credit_hold_settings(self):
        check_range(self, "credit_hold_grace_days", lambda v: v >= 0, self.env._("0 or more"))
        check_range(self, "credit_temp_limit_max_days", lambda v: v >= 1, self.env._("1 or more"))
        check_range(self, "credit_hold_overdue_min_amount", lambda v: v >= 0, self.env._("0 or more"))
        check_range(
            self,
            "credit_hold_default_threshold",
            lambda v: 0 < v <= THRESHOLD_MAX,
            self.env._("greater than 0 and at most %(max)s", max=THRESHOLD_MAX),
        )
        check_range(self, "credit_hold_warning_percent", lambda v: 1 <= v <= 100, self.env._("between 1 and 100"))

    def write(self, vals):
        turned_off = self.browse()
        if "credit_hold_enabled" in vals and not vals["credit_hold_enabled"]:
            turned_off = self.filtered("credit_hold_enabled")
        res = super().write(vals)
        # R1: switching off takes every hold of the company off at once (held
        # documents stay held for the controllers); switching on changes nobody
        # until the next evaluation.
        for company in turned_off:
            partners = self.env["res.partner"].with_company(company).sudo().search([("on_hold", "=", True)])
            partners._credit_hold_evaluate(company, auto_release=False)
        return res

    def _credit_hold_root(self):
        """The company whose credit settings and holds apply to ``self``:
        its root company. A branch shares the credit of its root company, the
        way Odoo's own ``credit`` counts a company with its branches."""
        self.ensure_one()
        return self.sudo().root_id

    def _credit_hold_family(self):
        """The root company of ``self`` and all its branches (sudo)."""
        root = self._credit_hold_root()
        return self.browse(self._credit_hold_family_ids(root.id)).sudo()

    @api.model
    @ormcache("root_id")
    def _credit_hold_family_ids(self, root_id):
        companies = self.sudo().with_context(active_test=False).search([("id", "child_of", root_id)])
        return tuple(companies.ids)

    def cache_invalidation_fields(self):
        # a company moved under another root changes the families above
        return super().cache_invalidation_fields() | {"parent_id"}

    def _credit_hold_is_on(self):
        """Whether credit hold is enabled for ``self`` (its root's switch)."""
        return bool(self) and self._credit_hold_root().credit_hold_enabled

    def _credit_hold_policy(self):
        """The settings of the root company of ``self``, as the pure decision
        module expects them."""
        self.ensure_one()
        root = self._credit_hold_root()
        return Policy(
            enabled=root.credit_hold_enabled,
            over_limit=root.credit_hold_over_limit,
            overdue=root.credit_hold_overdue,
            limit_basis=root.credit_hold_limit_basis or "balance",
            default_threshold=root.credit_hold_default_threshold or 100.0,
            warning_percent=root.credit_hold_warning_percent or 90.0,
            grace_days=max(root.credit_hold_grace_days, 0),
            overdue_min_amount=max(root.credit_hold_overdue_min_amount, 0.0),
            digits=root.currency_id.decimal_places,
        )
