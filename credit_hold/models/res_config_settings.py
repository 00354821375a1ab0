# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # A branch shares the credit settings of its root company: editing them
    # from a branch edits the root's.

    credit_hold_enabled = fields.Boolean(related="company_id.root_id.credit_hold_enabled", readonly=False)
    credit_hold_over_limit = fields.Boolean(related="company_id.root_id.credit_hold_over_limit", readonly=False)
    credit_hold_overdue = fields.Boolean(related="company_id.root_id.credit_hold_overdue", readonly=False)
    credit_hold_grace_days = fields.Integer(related="company_id.root_id.credit_hold_grace_days", readonly=False)
    credit_temp_limit_max_days = fields.Integer(related="company_id.root_id.credit_temp_limit_max_days", readonly=False)
    credit_hold_overdue_min_amount = fields.Monetary(
        related="company_id.root_id.credit_hold_overdue_min_amount", readonly=False
    )
    credit_hold_limit_basis = fields.Selection(related="company_id.root_id.credit_hold_limit_basis", readonly=False)
    credit_hold_default_threshold = fields.Float(
        related="company_id.root_id.credit_hold_default_threshold", readonly=False
    )
    credit_hold_warning_percent = fields.Float(related="company_id.root_id.credit_hold_warning_percent", readonly=False)
    credit_hold_prevent_orders = fields.Boolean(related="company_id.root_id.credit_hold_prevent_orders", readonly=False)
    credit_hold_prevent_invoices = fields.Boolean(
        related="company_id.root_id.credit_hold_prevent_invoices", readonly=False
    )
    credit_hold_auto_release = fields.Boolean(related="company_id.root_id.credit_hold_auto_release", readonly=False)
    credit_hold_release_authority = fields.Boolean(
        related="company_id.root_id.credit_hold_release_authority", readonly=False
    )
    credit_hold_controller_id = fields.Many2one(related="company_id.root_id.credit_hold_controller_id", readonly=False)
    credit_hold_notify_partner_ids = fields.Many2many(
        related="company_id.root_id.credit_hold_notify_partner_ids", readonly=False
    )
    credit_hold_new_customers = fields.Boolean(related="company_id.root_id.credit_hold_new_customers", readonly=False)
    credit_hold_portal_visibility = fields.Selection(
        related="company_id.root_id.credit_hold_portal_visibility", readonly=False
    )
    credit_hold_notify_customer = fields.Boolean(
        related="company_id.root_id.credit_hold_notify_customer", readonly=False
    )
    credit_hold_held_count = fields.Integer(
        string="Documents on Hold",
        compute="_compute_credit_hold_held_count",
        help="Held documents stay held when credit hold is switched off: release them from the held list.",
    )

    @api.depends("company_id")
    def _compute_credit_hold_held_count(self):
        documents = self.env["credit.hold.document"].sudo()
        for settings in self:
            family = settings.company_id._credit_hold_family()
            settings.credit_hold_held_count = documents.search_count(
                [("company_id", "in", family.ids), ("credit_status", "=", "held")]
            )
