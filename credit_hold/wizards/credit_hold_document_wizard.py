# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditHoldDocumentWizard(models.AbstractModel):
    """What the wizards on held documents share: the documents they act on,
    taken from the context (held documents, or rows of the held list)."""

    _name = "credit.hold.document.wizard"
    _description = "Wizard on Credit-Held Documents"

    document_refs = fields.Json(required=True, readonly=True, help="[[model, id], ...]")
    document_names = fields.Text(string="Documents", compute="_compute_document_names")

    @api.model
    def _action_title(self):
        return self._description

    @api.model
    def _action_open(self, records):
        """The window action of the wizard on ``records`` (held documents, or
        rows of the held-documents list)."""
        return {
            "type": "ir.actions.act_window",
            "name": self._action_title(),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": records._name, "active_ids": records.ids},
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = list(self.env.context.get("active_ids") or [])
        if model == "credit.hold.document":
            rows = self.env[model].browse(ids)
            refs = [[row.res_model, row.res_id] for row in rows]
        elif model in (held_models := self.env["credit.hold.mixin"]._credit_hold_document_models()):
            refs = [[model, res_id] for res_id in ids]
        else:
            raise UserError(
                self.env._(
                    "Credit holds are released on documents of these kinds only: %(models)s.",
                    models=", ".join(held_models),
                )
            )
        values["document_refs"] = refs
        return values

    @api.depends("document_refs")
    def _compute_document_names(self):
        for wizard in self:
            wizard.document_names = "\n".join(
                f"{doc.display_name}: {doc.credit_held_reason or ''}" for doc in wizard._documents()
            )

    def _documents(self):
        self.ensure_one()
        return [self.env[model].browse(res_id) for model, res_id in self.document_refs or []]
