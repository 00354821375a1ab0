# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Temporary credit limits (R5, temporary limit) and the history of changes
of a customer's limit settings."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount, format_date

from .res_partner import FIGURE_GROUPS

TEMP_LIMIT_FIELDS = ("credit_temp_limit", "credit_temp_limit_end", "credit_temp_limit_reason", "credit_temp_limit_uid")
# Each change of these is listed in credit.limit.history (and tracked in the chatter).
LIMIT_HISTORY_FIELDS = (
    "credit_limit",
    "credit_threshold",
    "credit_hold_grace_override",
    "credit_hold_grace_days",
    "on_hold_type",
    "credit_temp_limit",
    "credit_temp_limit_end",
)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Odoo's own limit: its changes are tracked in the chatter
    credit_limit = fields.Float(tracking=True)
    credit_temp_limit = fields.Float(
        groups=FIGURE_GROUPS,
        string="Temporary Limit",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="Replaces the credit limit until the day before its end date (the threshold applies on top of it).",
    )
    credit_temp_limit_end = fields.Date(
        groups=FIGURE_GROUPS,
        string="Temporary Limit Until",
        company_dependent=True,
        copy=False,
        tracking=True,
        help="On this date (excluded from the temporary limit) the permanent credit limit applies again.",
    )
    credit_temp_limit_reason = fields.Char(
        groups=FIGURE_GROUPS,
        string="Temporary Limit Reason",
        company_dependent=True,
        copy=False,
    )
    credit_temp_limit_uid = fields.Many2one(
        groups=FIGURE_GROUPS,
        comodel_name="res.users",
        string="Temporary Limit Granted By",
        company_dependent=True,
        copy=False,
    )
    credit_temp_limit_active = fields.Boolean(
        groups=FIGURE_GROUPS,
        string="Temporary Limit in Force",
        compute="_compute_credit_temp_limit_active",
    )

    @api.depends_context("company")
    @api.depends("credit_temp_limit", "credit_temp_limit_end")
    def _compute_credit_temp_limit_active(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.credit_temp_limit_active = bool(
                partner.credit_temp_limit and partner.credit_temp_limit_end and today < partner.credit_temp_limit_end
            )

    # ------------------------------------------------------------------
    # Constraints, CRUD
    # ------------------------------------------------------------------

    @api.constrains("credit_temp_limit", "credit_temp_limit_end")
    def _check_credit_temp_limit(self):
        today = fields.Date.context_today(self)
        for partner in self.sudo():
            amount, end = partner.credit_temp_limit, partner.credit_temp_limit_end
            if not amount and not end:
                continue
            error = None
            if amount < 0:
                error = self.env._("the Temporary Limit cannot be negative.")
            elif not amount:
                error = self.env._("give the Temporary Limit.")
            elif not end:
                error = self.env._("give the date the temporary limit ends (Temporary Limit Until).")
            elif end <= today:
                error = self.env._(
                    "Temporary Limit Until must be after today: the permanent limit applies again on that date."
                )
            elif (end - today).days > (cap := self.env.company._credit_hold_root().credit_temp_limit_max_days):
                error = self.env._(
                    "Temporary Limit Until can be at most %(days)s days from today (Longest Temporary Limit, "
                    "in the Credit Hold settings): %(date)s at the latest.",
                    days=cap,
                    date=format_date(self.env, fields.Date.add(today, days=cap)),
                )
            elif not partner.credit_limit:
                error = self.env._(
                    "the customer has no Credit Limit: a Temporary Limit can only raise an existing limit."
                )
            elif amount <= partner.credit_limit:
                error = self.env._(
                    "the Temporary Limit (%(amount)s) must be higher than the Credit Limit (%(limit)s): "
                    "use the permanent limit instead.",
                    amount=format_amount(self.env, amount, self.env.company.currency_id),
                    limit=format_amount(self.env, partner.credit_limit, self.env.company.currency_id),
                )
            if error:
                raise ValidationError(self.env._("%(partner)s: %(error)s", partner=partner.display_name, error=error))

    def _track_get_fields(self):
        # Odoo tracks only the fields the writing user may read (fields_get):
        # a credit controller without accounting rights changes the limit
        # without seeing it, and the chatter would show nothing. The tracking
        # values keep the field's groups, so readers see them as they may.
        fnames = super()._track_get_fields() or set()
        return fnames | {name for name in LIMIT_HISTORY_FIELDS if self._fields[name].tracking}

    def write(self, vals):
        names = [name for name in LIMIT_HISTORY_FIELDS if name in vals]
        if not names:
            return super().write(vals)
        customers = self.sudo().filtered(lambda p: p.commercial_partner_id == p)
        before = {partner.id: {name: partner[name] for name in names} for partner in customers}
        res = super().write(vals)
        customers._credit_limit_record_changes(before, names)
        return res

    def _credit_limit_record_changes(self, before, names):
        """One row of credit.limit.history per changed field and customer
        (one ``create()`` for the whole write), in the root company of the
        environment: the limit settings are shared by a company's branches."""
        root = self.env.company._credit_hold_root()
        rows = []
        for partner in self:
            for name in names:
                old, new = before[partner.id][name], partner[name]
                if (old or False) == (new or False):
                    continue
                rows.append(
                    {
                        "partner_id": partner.id,
                        "company_id": root.id,
                        "field_name": name,
                        "old_value": partner._credit_limit_format(name, old, root),
                        "new_value": partner._credit_limit_format(name, new, root),
                    }
                )
        if rows:
            self.env["credit.limit.history"].sudo().create(rows)

    def _credit_limit_format(self, name, value, company):
        """A value of a limit field, as the history shows it."""
        field = self._fields[name]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if value is False or value is None:
            return ""
        if name in ("credit_limit", "credit_temp_limit"):
            return format_amount(self.env, value, company.currency_id) if value else ""
        if field.type == "date":
            return format_date(self.env, value)
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if name == "credit_threshold":
            return f"{value:g} %" if value else self.env._("company default")
        return str(value)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_credit_temp_limit(self):
        """Button: the wizard granting a temporary limit (controllers only)."""
        self.ensure_one()
        self._credit_hold_check_controller()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Temporary Credit Limit"),
            "res_model": "credit.hold.temp.limit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_credit_temp_limit_end(self):
        """Button: end the temporary limit now (controllers only)."""
        self._credit_hold_check_controller()
        partners = self.commercial_partner_id.filtered("credit_temp_limit_end")
        if partners:
            partners.write(dict.fromkeys(TEMP_LIMIT_FIELDS, False))
            partners._message_log_batch(
                dict.fromkeys(
                    partners.ids,
                    Markup("<p>%s</p>")
                    % self.env._(
                        "Temporary credit limit ended by %(user)s in %(company)s.",
                        user=self.env.user.name,
                        company=self.env.company.name,
                    ),
                )
            )
        return True

    def action_view_credit_limit_history(self):
        """Smart button: the changes of this customer's limit settings in this company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_limit_history_action")
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company._credit_hold_root().id),
        ]
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _credit_hold_grant_temp_limit(self, amount, end_date, reason):
        """Grant this customer a temporary limit in the current company (and
        its branches), replacing the one in force; the customer is evaluated
        again at once (a customer under the new limit comes off hold and its
        documents are released, R12)."""
        self.ensure_one()
        self._credit_hold_check_controller()
        if self.commercial_partner_id != self:
            raise UserError(
                self.env._(
                    "The credit of a contact is the credit of its company: grant the temporary limit on %(company)s.",
                    company=self.commercial_partner_id.display_name,
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the temporary limit: it is kept in the credit history."))
        company = self.env.company._credit_hold_root()
        previous = self.sudo()
        replaced = None
        if previous.credit_temp_limit_end:
            replaced = self.env._(
                " It replaces the temporary limit of %(amount)s until %(end)s granted by %(user)s (%(reason)s).",
                amount=format_amount(self.env, previous.credit_temp_limit, company.currency_id),
                end=format_date(self.env, previous.credit_temp_limit_end),
                user=previous.credit_temp_limit_uid.name or "?",
                reason=previous.credit_temp_limit_reason or "",
            )
        self.write(
            {
                "credit_temp_limit": amount,
                "credit_temp_limit_end": end_date,
                "credit_temp_limit_reason": reason,
                "credit_temp_limit_uid": self.env.user.id,
            }
        )
        body = self.env._(
            "Temporary credit limit of %(amount)s until %(end)s (excluded) granted by %(user)s in %(company)s: "
            "%(reason)s.",
            amount=format_amount(self.env, amount, company.currency_id),
            end=format_date(self.env, end_date),
            user=self.env.user.name,
            company=company.name,
            reason=reason,
        )
        self._message_log(body=Markup("<p>%s</p>") % (body + (replaced or "")))
        return True

    @api.model
    def _credit_hold_expire_temp_limits(self, company):
        """Nightly pass: the temporary limits of ``company`` (a root company)
        ending today or earlier are removed (the permanent limit applies
        again), the customers evaluated again, and whoever granted the limit
        gets an activity. One search and one write for all of them.

        :return: the customers whose temporary limit ended
        """
        partners = self.with_company(company).sudo()
        today = fields.Date.context_today(partners)
        expired = partners.search([("credit_temp_limit_end", "<=", today)])
        expired = expired.filtered(lambda p: p.commercial_partner_id == p)
        if not expired:
            return expired
        granted = {
            partner.id: (partner.credit_temp_limit, partner.credit_temp_limit_end, partner.credit_temp_limit_uid)
            for partner in expired
        }
        # the write records the change in the history and evaluates them again
        expired.write(dict.fromkeys(TEMP_LIMIT_FIELDS, False))
        currency = company.currency_id
        bodies = {}
        for partner in expired:
            amount, end, user = granted[partner.id]
            text = self.env._(
                "The temporary credit limit of %(amount)s ended on %(end)s in %(company)s: the credit limit of "
                "%(limit)s applies again.",
                amount=format_amount(self.env, amount, currency),
                end=format_date(self.env, end),
                company=company.name,
                limit=format_amount(self.env, partner.credit_limit, currency),
            )
            bodies[partner.id] = Markup("<p>%s</p>") % text
            if not user.active:
                user = partner._credit_hold_controller_user(company)
            if user:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Temporary credit limit ended"),
                    note=text,
                )
        expired._message_log_batch(bodies)
        return expired
