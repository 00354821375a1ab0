# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Release authority of credit controllers (rules.md, R11): how much a user
may release, per company, and who may change it."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_partner import MANAGER_GROUP

# Only a Credit Manager sets these (checked on the server in create / write);
# never in SELF_WRITEABLE_FIELDS: a controller cannot raise their own limit.
AUTHORITY_FIELDS = ("credit_release_limit", "credit_release_unlimited")


class ResUsers(models.Model):
    _inherit = "res.users"

    credit_release_limit = fields.Float(
        string="Release Limit",
        company_dependent=True,
        digits="Account",
        copy=False,
        help="While the company's Release Authority is on, this user releases a held document only "
        "when the customer's exposure including it stays at or below this amount (company currency). "
        "0: releases nothing.",
    )
    credit_release_unlimited = fields.Boolean(
        string="Unlimited Release",
        company_dependent=True,
        copy=False,
        help="While the company's Release Authority is on, this user releases any amount.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_hold_check_authority_access(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._credit_hold_check_authority_access([vals])
        res = super().write(vals)
        shared = {name: vals[name] for name in AUTHORITY_FIELDS if name in vals}
        if shared:
            # a branch shares the credit settings of its root company: the
            # authority set in one company of a family applies to all of them
            company = self.env.company
            for other in company._credit_hold_family() - company:
                super(ResUsers, self.with_company(other)).write(shared)
        return res

    def _credit_hold_check_authority_access(self, vals_list):
        """Server-side guard of the release authority (views only mirror it)."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        names = sorted({name for vals in vals_list for name in AUTHORITY_FIELDS if name in vals})
        if names:
            raise AccessError(
                self.env._(
                    "Only a Credit Manager can change %(fields)s.",
                    fields=", ".join(self._fields[name].string for name in names),
                )
            )

    def _credit_release_authority(self, company):
        """What this user may release in ``company`` (its root company's
        settings): None when any amount, else the release limit (0: nothing)."""
        self.ensure_one()
        root = company._credit_hold_root()
        user = self.sudo().with_company(root)
        if not root.credit_hold_release_authority or user.credit_release_unlimited or user._is_superuser():
            return None
        return user.credit_release_limit or 0.0

    def _credit_release_covers(self, company, amount):
        """Whether this user may release a document that takes the customer's
        exposure to ``amount`` in ``company``."""
        limit = self._credit_release_authority(company)
        if limit is None:
            return True
        currency = company._credit_hold_root().currency_id
        return limit > 0 and currency.compare_amounts(amount, limit) <= 0
