# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.addons.credit_hold.models.credit_hold_mixin import PROTECTED_FIELDS, TIME_FIELDS
from odoo.tools import SQL


class CreditHoldDocument(models.Model):
    _inherit = "credit.hold.document"
    # merged with credit_hold's: what the repairs' rows read
    _depends = {
        "repair.order": [
            "name",
            "credit_partner_id",
            "company_id",
            "user_id",
            "sale_order_id",
            *PROTECTED_FIELDS,
            *TIME_FIELDS,
        ],
    }

    @api.model
    def _credit_hold_document_types(self):
        return [*super()._credit_hold_document_types(), ("repair", self.env._("Repair"), "repair.order")]

    @api.model
    def _credit_hold_document_queries(self):
        # a repair has no price of its own in Odoo 18: the amount is its sales
        # order's (0 without one), converted as the order's own row
        return [
            *super()._credit_hold_document_queries(),
            self._credit_hold_document_select(
                "repair",
                "repair_order",
                "ro",
                name=SQL("ro.name"),
                partner=SQL("ro.credit_partner_id"),
                user=SQL("ro.user_id"),
                amount=SQL(
                    "COALESCE((SELECT so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) "
                    "FROM sale_order so WHERE so.id = ro.sale_order_id), 0)"
                ),
            ),
        ]
