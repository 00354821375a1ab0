# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class CreditHoldDocument(models.Model):
    _inherit = "credit.hold.document"

    credit_can_release = fields.Boolean(
        string="You Can Release",
        compute="_compute_credit_can_release",
        help="Whether you may release this held document: a credit controller, within your release "
        "authority when the company's Release Authority is on.",
    )

    @api.depends_context("uid")
    def _compute_credit_can_release(self):
        # the documents of each kind read at once, their customers' figures
        # gathered once per kind
        by_model = defaultdict(list)
        for record in self:
            by_model[record.res_model].append(record.res_id)
        can = {}
        for model, ids in by_model.items():
            documents = self.env[model].sudo().browse(ids)
            can[model] = documents._credit_hold_can_release(self.env.user)
        for record in self:
            record.credit_can_release = can[record.res_model].get(record.res_id, False)

    def action_escalate_documents(self):
        self.env["credit.hold.mixin"]._credit_hold_check_controller()
        return self.env["credit.hold.escalate"]._action_open(self)
