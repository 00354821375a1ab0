# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import AccessError

CONFIRMED_STATES = ("authorized", "done")


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def write(self, vals):
        # A transaction is confirmed by its payment provider (Odoo's payment
        # flow runs as superuser), never by a user writing its state: the
        # "paid online in full" exemption (R18) trusts it.
        if vals.get("state") in CONFIRMED_STATES and not self.env.su:
            raise AccessError(self.env._("A payment transaction is confirmed by its payment provider only."))
        return super().write(vals)

    def _check_amount_and_confirm_order(self):
        # a quotation held for credit is not confirmed: no confirmation e-mail for it
        confirmed = super()._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
