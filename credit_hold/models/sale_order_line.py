# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..compat import SOL_TAXES, SOL_UOM

AMOUNT_FIELDS = {"product_uom_qty", "price_unit", "discount", SOL_TAXES, "product_id", SOL_UOM, "order_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        lines = self.browse()

        def change():
            nonlocal lines
            lines = super(SaleOrderLine, self).create(vals_list)

        orders._credit_hold_guard_increase(change)
        return lines

    def write(self, vals):
        if not AMOUNT_FIELDS & vals.keys():
            return super().write(vals)
        result = []
        # a line moved to another order raises that order (R17): check both
        orders = self.order_id
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])

        def change():
            result.append(super(SaleOrderLine, self).write(vals))

        orders._credit_hold_guard_increase(change)
        return result[0]
