# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .res_partner import MANAGER_GROUP


class CreditReleaseAuthority(models.Model):
    """The release authority of each credit controller in each of their
    root companies, as one list a Credit Manager edits (Credit Control >
    Configuration > Release Authority) without any other right on users:
    the values live on the user (``res.users.credit_release_limit``,
    ``credit_release_unlimited``, per company) and are written there."""

    _name = "credit.release.authority"
    _description = "Release Authority of a Credit Controller"
    _auto = False
    _order = "company_id, user_id"

    user_id = fields.Many2one("res.users", string="Credit Controller", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_release_limit = fields.Monetary(
        string="Release Limit",
        currency_field="currency_id",
        compute="_compute_authority",
        inverse="_inverse_authority",
        help="The controller releases a held document only when the customer's exposure including it stays "
        "at or below this amount. 0: releases nothing.",
    )
    credit_release_unlimited = fields.Boolean(
        string="Unlimited Release",
        compute="_compute_authority",
        inverse="_inverse_authority",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS
                SELECT u.id * 100000 + c.id AS id, u.id AS user_id, c.id AS company_id
                  FROM res_users u
                  JOIN res_company_users_rel cu ON cu.user_id = u.id
                  JOIN res_company c ON c.id = cu.cid AND c.parent_id IS NULL
                 WHERE u.active AND NOT u.share
                   AND u.id IN (
                       SELECT gu.uid
                         FROM res_groups_users_rel gu
                         JOIN ir_model_data d ON d.res_id = gu.gid AND d.model = 'res.groups'
                        WHERE d.module = 'credit_hold' AND d.name = 'group_credit_controller'
                   )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.depends("user_id", "company_id")
    def _compute_authority(self):
        for row in self:
            user = row.user_id.sudo().with_company(row.company_id)
            row.credit_release_limit = user.credit_release_limit
            row.credit_release_unlimited = user.credit_release_unlimited

    def _inverse_authority(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only a Credit Manager can change the release authority of a user."))
        for row in self:
            if not self.env.su and row.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You may set the release authority only in your companies: %(company)s is not one.",
                        company=row.company_id.name,
                    )
                )
            row.user_id.sudo().with_company(row.company_id).write(
                {
                    "credit_release_limit": row.credit_release_limit,
                    "credit_release_unlimited": row.credit_release_unlimited,
                }
            )
