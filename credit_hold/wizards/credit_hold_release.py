# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditHoldRelease(models.TransientModel):
    """Asks the credit controller why held documents are released (R21)."""

    _name = "credit.hold.release"
    _description = "Release Credit-Held Documents"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    document_names = fields.Text(string="Documents", compute="_compute_document_names")
    reason = fields.Text(required=True, help="Kept on each document's chatter with who and when.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model not in self.env["credit.hold.mixin"]._inherit_children:
            raise UserError(
                self.env._(
                    "Credit holds are released on documents of these kinds only: %(models)s.",
                    models=", ".join(self.env["credit.hold.mixin"]._inherit_children),
                )
            )
        values.update({"res_model": model, "res_ids": list(self.env.context.get("active_ids") or [])})
        return values

    @api.depends("res_model", "res_ids")
    def _compute_document_names(self):
        for wizard in self:
            docs = wizard._documents()
            wizard.document_names = "\n".join(f"{doc.display_name}: {doc.credit_held_reason or ''}" for doc in docs)

    def _documents(self):
        self.ensure_one()
        if not self.res_model:
            return self.env["res.partner"].browse()
        return self.env[self.res_model].browse(self.res_ids or [])

    def action_release(self):
        self.ensure_one()
        docs = self._documents()
        docs.credit_release(self.reason)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Released"),
                "message": ", ".join(docs.mapped("display_name")),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
