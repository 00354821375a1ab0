# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.credit_hold_mixin import OUTCOMES

#: Rows of the view get ``id = res_id * ID_STRIDE + index of their type``
#: (``_credit_hold_document_index`` of the document's model).
ID_STRIDE = 16


class CreditHoldDocument(models.Model):
    """Every held or released document, orders and invoices in one list:
    the credit controller's daily screen. Documents whose hold ended
    (carried through or cancelled) stay in the view as archived rows, with
    their time on hold, for the analysis."""

    _name = "credit.hold.document"
    _description = "Credit-Held Document"
    _auto = False
    _order = "credit_held_date desc, id desc"
    _rec_name = "name"
    # what the view reads, each document model's fields, is given by the
    # models themselves at setup (``credit.hold.mixin._credit_hold_setup_class``):
    # pending writes of these are flushed before a search

    name = fields.Char(string="Document", readonly=True)
    document_type = fields.Selection(selection="_selection_document_type", string="Type", readonly=True)
    res_model = fields.Char(readonly=True)
    # an id, not a figure: never a measure of the analysis
    res_id = fields.Integer(string="Document ID", readonly=True, aggregator=None)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    amount = fields.Monetary(readonly=True, help="Total of the document in the company currency.")
    credit_status = fields.Selection(
        selection=[("none", "Not held"), ("held", "Credit held"), ("released", "Released")],
        readonly=True,
    )
    credit_held_reason_codes = fields.Char(string="Reason Codes", readonly=True)
    reason_code = fields.Selection(
        selection="_selection_reason_code",
        string="Main Reason",
        readonly=True,
        help="The first reason of the hold, for grouping.",
    )
    credit_held_reasons = fields.Json(readonly=True)
    credit_held_reason = fields.Char(string="Reason", compute="_compute_credit_held_reason")
    credit_held_date = fields.Datetime(string="Held Since", readonly=True)
    credit_released_uid = fields.Many2one("res.users", string="Released By", readonly=True)
    credit_released_date = fields.Datetime(string="Released On", readonly=True)
    credit_release_reason = fields.Char(string="Release Reason", readonly=True)
    # documents whose hold ended are archived rows: the held list is as
    # before, the analysis shows them (active_test off)
    active = fields.Boolean(readonly=True)
    credit_hold_ended_date = fields.Datetime(string="Hold Ended", readonly=True)
    credit_hold_outcome = fields.Selection(
        selection=OUTCOMES,
        string="Hold Outcome",
        readonly=True,
    )
    credit_hold_days = fields.Float(
        string="Time on Hold (Days)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="From the start of the hold to its end (released, carried through or cancelled); "
        "empty while the document is still held.",
    )
    partner_credit_limit = fields.Monetary(string="Limit", compute="_compute_partner_figures")
    partner_total_balance = fields.Monetary(string="Balance", compute="_compute_partner_figures")
    partner_exposure = fields.Monetary(string="Exposure", compute="_compute_partner_figures")
    partner_overdue = fields.Monetary(string="Overdue", compute="_compute_partner_figures")
    partner_available = fields.Monetary(string="Available Credit", compute="_compute_partner_figures")

    @property
    def _table_query(self):
        return SQL(" UNION ALL ").join(self._credit_hold_document_queries())

    @api.model
    def _credit_hold_document_types(self):
        """The kinds of held documents: [(type, label, model)], as the models
        under ``credit.hold.mixin`` declare them (``_credit_hold_document_type``)."""
        return [
            (self.env[name]._credit_hold_document_type, self.env[name]._credit_hold_document_label(), name)
            for name in self.env["credit.hold.mixin"]._credit_hold_document_models()
        ]

    @api.model
    def _selection_document_type(self):
        return [(kind, label) for kind, label, _model in self._credit_hold_document_types()]

    @api.model
    def _credit_hold_document_select(self, model):
        """One part of the view: the held and released documents of ``model``
        (a model name), its name, salesperson and amount as the model gives
        them (``_credit_hold_document_row``)."""
        documents = self.env[model]
        alias = "doc"
        a = SQL.identifier(alias)
        row = documents._credit_hold_document_row(alias)
        return SQL(
            """
            SELECT %(a)s.id * %(stride)s + %(index)s AS id, %(kind)s AS document_type, %(model)s AS res_model,
                   %(a)s.id AS res_id, %(name)s AS name, %(partner)s AS partner_id, %(a)s.company_id,
                   %(user)s AS user_id, %(amount)s AS amount,
                   %(a)s.credit_status, %(a)s.credit_held_reason_codes,
                   split_part(%(a)s.credit_held_reason_codes, ',', 1) AS reason_code,
                   %(a)s.credit_held_reasons,
                   COALESCE(%(a)s.credit_held_date, %(a)s.credit_hold_started_date) AS credit_held_date,
                   %(a)s.credit_released_uid, %(a)s.credit_released_date, %(a)s.credit_release_reason,
                   %(a)s.credit_hold_ended_date, %(a)s.credit_hold_outcome,
                   %(a)s.credit_status IN ('held', 'released') AS active,
                   EXTRACT(EPOCH FROM %(a)s.credit_hold_ended_date
                           - COALESCE(%(a)s.credit_held_date, %(a)s.credit_hold_started_date)) / 86400.0
                       AS credit_hold_days
              FROM %(table)s %(a)s
             WHERE %(a)s.credit_status IN ('held', 'released') OR %(a)s.credit_hold_ended_date IS NOT NULL
            """,
            a=a,
            stride=ID_STRIDE,
            index=documents._credit_hold_document_index,
            kind=documents._credit_hold_document_type,
            model=model,
            name=row["name"],
            partner=SQL.identifier(alias, documents._credit_hold_partner_field),
            user=row["user"],
            amount=row["amount"],
            table=SQL.identifier(documents._table),
        )

    @api.model
    def _credit_hold_document_queries(self):
        """The SELECTs of the view, one per kind of document."""
        return [
            self._credit_hold_document_select(name)
            for name in self.env["credit.hold.mixin"]._credit_hold_document_models()
        ]

    @api.model
    def _selection_reason_code(self):
        return self.env["credit.hold.reason"]._get_selection()

    @api.depends_context("lang")
    def _compute_credit_held_reason(self):
        reasons = self.env["credit.hold.reason"]
        for record in self:
            record.credit_held_reason = reasons._render_entries(record.credit_held_reasons, record.currency_id)

    @api.depends_context("company")
    def _compute_partner_figures(self):
        by_company = defaultdict(lambda: self.browse())
        for record in self:
            by_company[record.company_id] |= record
        for company, records in by_company.items():
            results = records.partner_id._credit_hold_compute(company)
            for record in records:
                figures, decision = results.get(record.partner_id.id, (None, None))
                record.partner_credit_limit = figures.credit_limit if figures else 0.0
                record.partner_total_balance = figures.total_balance if figures else 0.0
                record.partner_exposure = decision.exposure if decision else 0.0
                record.partner_overdue = decision.overdue_amount if decision else 0.0
                record.partner_available = (decision.available_credit or 0.0) if decision else 0.0

    @api.depends_context("lang")
    def _compute_display_name(self):
        by_model = defaultdict(list)
        for record in self:
            by_model[record.res_model].append(record.res_id)
        names = {}
        for model, ids in by_model.items():
            for document in self.env[model].browse(ids).sudo():
                names[model, document.id] = document.display_name
        for record in self:
            record.display_name = names.get((record.res_model, record.res_id)) or record.name

    def _documents(self):
        """The underlying documents, in the order of ``self``, as a list."""
        return [self.env[record.res_model].browse(record.res_id) for record in self]

    # ------------------------------------------------------------------
    # Actions of the list (each document on its own, one summary)
    # ------------------------------------------------------------------

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    def action_release_documents(self):
        self.env["credit.hold.mixin"]._credit_hold_check_controller()
        return self.env["credit.hold.release"]._action_open(self)

    def action_hold_documents(self):
        return self._credit_hold_apply("action_credit_hold", self.env._("held again"))

    def action_cancel_check_documents(self):
        return self._credit_hold_apply("action_credit_cancel_check", self.env._("credit check cancelled"))

    def _credit_hold_apply(self, method, done_label, *args):
        return self.env["credit.hold.mixin"]._credit_hold_bulk(self._documents(), method, done_label, *args)

    # ------------------------------------------------------------------
    # Release authority: who may release each row
    # ------------------------------------------------------------------

    credit_can_release = fields.Boolean(
        string="You Can Release",
        compute="_compute_credit_can_release",
        help="Whether you may release this held document: a credit controller, within your release "
        "authority when the company's Release Authority is on.",
    )

    @api.depends_context("uid")
    def _compute_credit_can_release(self):
        # the documents of each kind read at once, their customers' figures
        # gathered once per kind
        by_model = defaultdict(list)
        for record in self:
            by_model[record.res_model].append(record.res_id)
        can = {}
        for model, ids in by_model.items():
            documents = self.env[model].sudo().browse(ids)
            can[model] = documents._credit_hold_can_release(self.env.user)
        for record in self:
            record.credit_can_release = can[record.res_model].get(record.res_id, False)

    def action_escalate_documents(self):
        self.env["credit.hold.mixin"]._credit_hold_check_controller()
        return self.env["credit.hold.escalate"]._action_open(self)
