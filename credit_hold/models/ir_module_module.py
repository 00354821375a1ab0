# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..compat import load_series_file


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _credit_hold_load_series_file(self, module, path, noupdate=False):
        """The ``<function>`` of a data file that loads its records of the
        running Odoo series (see ``credit_hold/compat.py``)."""
        load_series_file(self.env, module, path, noupdate=noupdate)
        return True
