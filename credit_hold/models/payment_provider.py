# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import ormcache


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    @ormcache()
    def _credit_hold_any_enabled(self):
        """Whether any payment provider is live (``enabled``): only then can
        an order be paid in full online (R18). Read once per worker; a change
        of a provider's state clears Odoo's registry cache (all workers)."""
        return bool(self.sudo().search_count([("state", "=", "enabled")], limit=1))

    @api.model_create_multi
    def create(self, vals_list):
        providers = super().create(vals_list)
        if any(vals.get("state") == "enabled" for vals in vals_list):
            self.env.registry.clear_cache()
        return providers

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
