# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The evaluation of customers: figures -> decide() -> store -> transitions.

Every path that decides a customer's hold goes through
:meth:`ResPartner._credit_hold_evaluate`: a posted invoice, a payment, a
change of limit, a controller's button and the nightly pass alike. Holds are
written through the ORM, one ``write()`` per group of customers with the same
new values, and every change is recorded in ``credit.hold.history``.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models

from ..decision import Figures, codes_to_text, decide, limit_in_force
from .res_partner import FIGURE_FIELDS

# What the evaluation reads of each customer (one fetch for a batch).
STATE_FIELDS = [
    "on_hold_type",
    "credit_limit",
    "credit_temp_limit",
    "credit_temp_limit_end",
    "credit_threshold",
    "credit_hold_awaiting_payment",
    "credit_hold_grace_override",
    "credit_hold_grace_days",
    "on_hold",
    "credit_hold_reason_codes",
]
NO_FIGURES = (0.0, 0.0, 0, 0.0)
# Where a change comes from: the nightly pass (no chatter, no Odoo tracking),
# an event such as a payment or a posted invoice, or a person's decision.
ORIGINS = ("nightly", "event", "person")


# The customer's fields and buttons are in res_partner.py: one concern a file.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _credit_hold_compute(self, company, figures=None, state=None):
        """Figures and decision of these commercial partners in ``company``
        (its root company and branches).

        A constant number of queries whatever the number of partners or of
        their invoices: one fetch of the partners' settings, one query for
        receivables, one for orders.

        :param dict figures: figures already gathered (the nightly pass), in
            the shape of ``credit.hold.figures._gather``
        :param dict state: the partners' settings, already read (see
            :meth:`_credit_hold_state`)
        :return: {partner_id: (Figures, Decision)}
        """
        if not self:
            return {}
        root = company._credit_hold_root()
        policy = root._credit_hold_policy()
        partners = self.with_company(root).sudo()
        if state is None:
            state = partners._credit_hold_state()
        if figures is None:
            today = fields.Date.context_today(self)
            overrides = {
                pid: values["credit_hold_grace_days"]
                for pid, values in state.items()
                if values["credit_hold_grace_override"]
            }
            figures = self.env["credit.hold.figures"]._gather(root, partners, today, policy.grace_days, overrides)
        digits = policy.digits
        # the day a temporary limit is judged on, only read when one is set
        limit_day = None
        results = {}
        for pid, values in state.items():
            limit = values["credit_limit"] or 0.0
            if values["credit_temp_limit_end"]:
                limit_day = limit_day or fields.Date.context_today(self)
                limit = limit_in_force(limit, values["credit_temp_limit"], values["credit_temp_limit_end"], limit_day)
            balance, overdue_amount, overdue_count, uninvoiced = figures.get(pid, NO_FIGURES)
            customer = Figures(
                hold_type=values["on_hold_type"] or "automatic",
                credit_limit=limit,
                threshold=values["credit_threshold"] or None,
                total_balance=round(balance or 0.0, digits),
                uninvoiced=round(uninvoiced or 0.0, digits),
                overdue_amount=round(overdue_amount or 0.0, digits),
                overdue_count=overdue_count or 0,
                awaiting_first_payment=bool(values["credit_hold_awaiting_payment"]),
            )
            results[pid] = (customer, decide(policy, customer))
        return results

    def _credit_hold_state(self):
        """{partner id: {field: value}} of :data:`STATE_FIELDS` for these
        partners in the company of the environment: one fetch, then the
        values taken from the ORM's cache a column at a time (reading them
        record by record costs more than deciding, in the nightly pass)."""
        self.fetch(STATE_FIELDS)
        cache = self.env.cache
        columns = {}
        for name in STATE_FIELDS:
            column = list(cache.get_until_miss(self, self._fields[name]))
            if len(column) != len(self):  # not all cached (a concurrent invalidation)
                column = [partner[name] for partner in self]
            columns[name] = column
        return {pid: {name: columns[name][index] for name in STATE_FIELDS} for index, pid in enumerate(self._ids)}

    def _credit_hold_evaluate(self, company, origin="event", auto_release=True, figures=None, cause=None):
        """Decide and store the hold of these customers in ``company`` (its
        root company and branches).

        :param str origin: one of :data:`ORIGINS`
        :param bool auto_release: re-check the held documents of customers
            not on hold (R12), when the company releases automatically
        :param dict figures: figures gathered by the nightly pass
        :param str cause: what changed, in words, for the notes of documents
            carried through because of it
        :return: (partners put on hold, partners taken off hold)
        """
        # the nightly pass gives its figures for commercial partners already
        partners = self if figures is not None else self.commercial_partner_id.filtered("id")
        root = company._credit_hold_root()
        partners = partners.with_company(root).sudo()
        if not partners:
            return partners, partners
        # whatever triggered the evaluation changed the figures shown in this transaction
        self.env["res.partner"].invalidate_model(FIGURE_FIELDS)
        state = partners._credit_hold_state()
        results = partners._credit_hold_compute(root, figures=figures, state=state)
        if figures is None:
            # decided now with fresh figures: a nightly pass under way must not
            # decide them again from the figures it gathered earlier
            self.env["credit.hold.queue"]._discard(root, partners.ids)
        went_on, came_off = partners._credit_hold_store(root, results, origin, state=state)
        if auto_release and root.credit_hold_auto_release:
            # also documents held for their own amount, and those a user could
            # not carry through when the hold lifted (one search a batch)
            clear = [pid for pid, (_figures, decision) in results.items() if not decision.on_hold]
            if clear:
                self._credit_hold_retry_documents(root, clear, cause=cause)
        return went_on, came_off

    def _credit_hold_store(self, root, results, origin, state=None):
        """Write the decisions of ``results`` that change something, record
        them in the credit history and let :meth:`_credit_hold_on_transition`
        react to customers that went on or came off hold.

        ``self`` holds the customers, already fetched in ``root``. One ORM
        ``write()`` per group of customers getting the same values, in the
        root company and each branch, and one for their contacts.
        """
        groups = defaultdict(list)
        went_on, came_off, history = [], [], []
        for pid, values in (state or self._credit_hold_state()).items():
            decision = results[pid][1]
            codes = codes_to_text(decision.reasons)
            was_on = bool(values["on_hold"])
            if was_on == decision.on_hold and (values["credit_hold_reason_codes"] or False) == codes:
                continue
            groups[(decision.on_hold, codes)].append(pid)
            if decision.on_hold and not was_on:
                went_on.append(pid)
            elif was_on and not decision.on_hold:
                came_off.append(pid)
            history.append(
                {
                    "partner_id": pid,
                    "company_id": root.id,
                    "on_hold": decision.on_hold,
                    "reason_codes": codes,
                    "origin": origin,
                }
            )
        if not groups:
            return self.browse(), self.browse()
        family = root._credit_hold_family()
        # the nightly pass records each change in the history itself: Odoo's
        # tracking would read every old value and post a message per customer
        writer = self.with_context(tracking_disable=True) if origin == "nightly" else self
        for (on_hold, codes), ids in groups.items():
            values = {"on_hold": on_hold, "credit_hold_reason_codes": codes}
            contacts = self.with_context(active_test=False, tracking_disable=True).search(
                [("commercial_partner_id", "in", ids), ("id", "not in", ids)]
            )
            for company in family:
                writer.browse(ids).with_company(company).write(values)
                if contacts:
                    contacts.with_company(company).write(values)
        self.env["credit.hold.history"].sudo().create(history)
        went_on, came_off = self.browse(went_on), self.browse(came_off)
        if went_on or came_off:
            self._credit_hold_on_transition(root, went_on, came_off, origin)
        return went_on, came_off

    def _credit_hold_on_transition(self, company, went_on, came_off, origin):
        """Called after customers went on or came off hold in ``company``
        (R13): a note in the chatter of each when a person or an event caused
        it (the nightly pass records the change in the credit history only),
        and an e-mail to the company's notification list for those that went
        on hold. Extend it to react to transitions (it runs for transitions
        only, never for unchanged customers).
        """
        if origin != "nightly":
            bodies = {
                partner.id: Markup("<p>%s</p>")
                % self.env._(
                    "Put on credit hold in %(company)s: %(reason)s",
                    company=company.name,
                    reason=partner.credit_hold_reason,
                )
                for partner in went_on
            }
            bodies.update(
                {
                    partner.id: Markup("<p>%s</p>")
                    % self.env._("Credit hold lifted in %(company)s.", company=company.name)
                    for partner in came_off
                }
            )
            (went_on | came_off)._message_log_batch(bodies)
        recipients = company.sudo().credit_hold_notify_partner_ids
        if went_on and recipients:
            template = self.env.ref("credit_hold.mail_template_credit_hold_on").sudo().with_company(company)
            for partner in went_on:
                template.send_mail(
                    partner.id,
                    email_values={
                        "recipient_ids": [Command.set(recipients.ids)],
                        "email_from": company.email_formatted or False,
                    },
                )

    @api.model
    def _credit_hold_retry_documents(self, company, partner_ids, cause=None):
        """R12: documents held for customers that are not on hold any more are
        re-checked and, when they pass, carried through (one search per
        document model for the whole batch)."""
        for model_name in self.env["credit.hold.mixin"]._inherit_children:
            documents = self.env[model_name].sudo()._get_credit_hold_documents(company, partner_ids)
            if documents:
                # carried through as the user whose action lifted the hold
                documents.with_env(self.env)._credit_hold_retry(cause=cause)

    @api.model
    def _cron_credit_hold_carry_through(self):
        """Scheduled job, triggered when a hold lifted and the user who lifted
        it could not confirm or post some of the held documents (R12): they
        are re-checked and carried through as the job's user. Reads only the
        customers that have held documents."""
        roots = (
            self.env["res.company"]
            .sudo()
            .search(
                [("parent_id", "=", False), ("credit_hold_enabled", "=", True), ("credit_hold_auto_release", "=", True)]
            )
        )
        for root in roots:
            partners = self.browse()
            for model_name in self.env["credit.hold.mixin"]._inherit_children:
                held = (
                    self.env[model_name]
                    .sudo()
                    .search([("credit_status", "=", "held"), ("company_id", "in", root._credit_hold_family().ids)])
                )
                partners |= self.browse({doc._credit_hold_partner().id for doc in held})
            if partners:
                partners._credit_hold_evaluate(root, cause=self.env._("the scheduled re-check"))

    def _credit_hold_controller_user(self, company):
        """Who reviews this customer's held documents in ``company``."""
        self.ensure_one()
        user = self.with_company(company).sudo().credit_controller_id or company.sudo().credit_hold_controller_id
        if not user:
            users = self.env.ref("credit_hold.group_credit_controller").sudo().users
            user = users.filtered(lambda u: u.active and not u.share and company in u.company_ids)[:1]
        return user

    def _credit_hold_overdue_move_ids(self, company):
        """The journal entries whose lines the overdue rule counts for this
        commercial partner in ``company`` (the same SQL as the figures)."""
        self.ensure_one()
        root = company._credit_hold_root()
        partner = self.with_company(root).sudo()
        policy = root._credit_hold_policy()
        overrides = {partner.id: partner.credit_hold_grace_days} if partner.credit_hold_grace_override else {}
        return self.env["credit.hold.figures"]._overdue_move_ids(
            root, partner, fields.Date.context_today(partner), policy.grace_days, overrides
        )

    def _credit_hold_hold_new_customers(self):
        """R14: in each company that asks for it, a new customer starts on hold
        until its first payment is reconciled."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("credit_hold_enabled", "=", True),
                    ("credit_hold_new_customers", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        for company in companies:
            partners = self.with_company(company).sudo()
            partners.write({"credit_hold_awaiting_payment": True})
            partners._credit_hold_evaluate(company)

    def _credit_hold_copy_from_company(self):
        """Contacts show the hold of their commercial partner (all companies)."""
        roots = self.env["res.company"].sudo().search([("credit_hold_enabled", "=", True)]).root_id
        if not roots:
            return
        for company in self.env["res.company"].sudo().search([("id", "child_of", roots.ids)]):
            contacts = self.with_company(company).sudo()
            groups = defaultdict(list)
            for contact in contacts:
                commercial = contact.commercial_partner_id
                values = (commercial.on_hold, commercial.credit_hold_reason_codes or False)
                if (contact.on_hold, contact.credit_hold_reason_codes or False) != values:
                    groups[values].append(contact.id)
            for (on_hold, codes), ids in groups.items():
                contacts.browse(ids).with_context(tracking_disable=True).write(
                    {"on_hold": on_hold, "credit_hold_reason_codes": codes}
                )

    @api.model
    def _credit_hold_evaluate_moves(self, moves):
        """Re-evaluate the customers of these journal entries (receivable
        lines), each in the entry's company."""
        lines = moves.sudo().line_ids.filtered(lambda line: line.account_type == "asset_receivable" and line.partner_id)
        self._credit_hold_evaluate_lines(lines)

    @api.model
    def _credit_hold_evaluate_lines(self, lines, cause=None):
        by_root = defaultdict(set)
        for line in lines:
            root = line.company_id._credit_hold_root()
            if root.credit_hold_enabled:
                by_root[root].add(line.partner_id.commercial_partner_id.id)
        for root, partner_ids in by_root.items():
            self.browse(partner_ids)._credit_hold_evaluate(root, cause=cause)

    @api.model
    def _cron_evaluate_credit_hold(self, batch_size=5000):
        """Scheduled job: re-evaluate every customer (see credit.hold.queue).

        :return: the number of customers left in the pass (0: complete)
        """
        return self.env["credit.hold.queue"]._run_batch(batch_size)
