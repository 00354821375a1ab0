# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.addons.credit_hold.models.credit_hold_mixin import PROTECTED_FIELDS, TIME_FIELDS
from odoo.tools import SQL


class CreditHoldDocument(models.Model):
    _inherit = "credit.hold.document"
    # merged with credit_hold's: what the deliveries' rows read
    _depends = {
        "stock.picking": ["name", "credit_partner_id", "company_id", "sale_id", *PROTECTED_FIELDS, *TIME_FIELDS],
    }

    @api.model
    def _credit_hold_document_types(self):
        return [*super()._credit_hold_document_types(), ("delivery", self.env._("Delivery"), "stock.picking")]

    @api.model
    def _credit_hold_document_queries(self):
        # the salesperson and the amount are the delivery's sales order's
        # (none: no salesperson, 0), converted as the order's own row
        return [
            *super()._credit_hold_document_queries(),
            self._credit_hold_document_select(
                "delivery",
                "stock_picking",
                "sp",
                name=SQL("sp.name"),
                partner=SQL("sp.credit_partner_id"),
                user=SQL("(SELECT so.user_id FROM sale_order so WHERE so.id = sp.sale_id)"),
                amount=SQL(
                    "COALESCE((SELECT so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) "
                    "FROM sale_order so WHERE so.id = sp.sale_id), 0)"
                ),
            ),
        ]
