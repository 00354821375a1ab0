# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.3.0.0 -> 18.0.3.1.0: the customer's main hold reason, in words.

``res.partner.credit_hold_main_reason`` (company-dependent) is written with
the reason codes from now on; the customers and contacts already on hold get
it from their stored codes, in each company where they have codes.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.addons.credit_hold.decision import text_to_codes

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False, "tracking_disable": True})
    partners = env["res.partner"]
    count = 0
    for company in env["res.company"].search([]):
        on_hold = partners.with_company(company).search([("credit_hold_reason_codes", "!=", False)])
        by_code = {}
        for partner in on_hold:
            codes = text_to_codes(partner.credit_hold_reason_codes)
            if codes:
                by_code.setdefault(codes[0], []).append(partner.id)
        for code, ids in by_code.items():
            # the field is a system field: written here as the evaluation writes it
            partners.browse(ids).with_company(company).write({"credit_hold_main_reason": code})
            count += len(ids)
    _logger.info("credit_hold: main hold reason set for %s customer(s) and contact(s)", count)
