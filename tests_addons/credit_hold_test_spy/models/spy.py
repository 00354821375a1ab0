# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Overrides of the methods where credit_hold decides, in a module loaded
after credit_hold (so above it in the class chain, as sale_management,
event_sale or stock_account are on a running server). Each records the ids
that reached its code, before and after ``super()``."""

from odoo import models

#: {method: [ids reaching the override]}, emptied by the tests
CALLS = {"action_confirm": [], "_post": []}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        CALLS["action_confirm"].extend(self.ids)
        return super().action_confirm()


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        CALLS["_post"].extend(self.ids)
        return super()._post(soft=soft)
