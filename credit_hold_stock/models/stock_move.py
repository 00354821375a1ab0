# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        if vals.get("state") == "done":
            # the moves of a delivery are done by its _action_done, through
            # the check; writing them done would deliver (and make invoiceable)
            # what a hold stops
            self.filtered(lambda move: move.state != "done").picking_id._credit_hold_refuse_unchecked()
        return super().write(vals)
