# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Release authority on held documents (rules.md, R11): a credit controller
releases within their release limit; beyond it, they escalate the review to
a controller whose authority covers it."""

from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html
from odoo.tools.misc import format_amount

from .credit_hold_mixin import ACTIVITY_TYPE
from .res_partner import CONTROLLER_GROUP, MANAGER_GROUP


class CreditHoldMixin(models.AbstractModel):
    _inherit = "credit.hold.mixin"

    # ------------------------------------------------------------------
    # To implement by each document model (default: what the check adds)
    # ------------------------------------------------------------------

    def _credit_hold_authority_amount(self):
        """What the document adds to the customer's exposure when it goes
        through and is not counted in it yet: an order not confirmed adds its
        amount; a document the exposure already counts adds nothing."""
        return self._credit_hold_document_amount() or 0.0

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _credit_hold_authority_roots(self):
        """The root companies of these documents where release authority applies."""
        return self.company_id.root_id.filtered("credit_hold_release_authority")

    def _credit_hold_release_amounts(self, results=None, cumulative=True):
        """What each customer would owe if the document went through: its
        exposure (balance + confirmed orders not invoiced) plus what the
        document adds (:meth:`_credit_hold_authority_amount`).

        :param bool cumulative: documents of the same customer are counted
            one after the other, in the order of ``self`` (released
            together); False: each one on its own (what the list shows)
        :return: {document id: amount in the root company's currency}
        """
        results = results if results is not None else self._credit_hold_customer_results()
        added = defaultdict(float)
        amounts = {}
        for doc in self:
            root = doc.company_id._credit_hold_root()
            partner_id = doc._credit_hold_partner()._origin.id
            decision = results[root][partner_id][1]
            amount = doc._credit_hold_authority_amount()
            if cumulative:
                added[root, partner_id] += amount
                amount = added[root, partner_id]
            amounts[doc.id] = decision.exposure + amount
        return amounts

    def _credit_hold_can_release(self, user):
        """{document id: whether ``user`` may release it now} (held documents
        only; the figures gathered once for all of them)."""
        can = dict.fromkeys(self.ids, False)
        held = self.filtered(lambda d: d.credit_status == "held")
        if not held or not user.has_group(CONTROLLER_GROUP):
            return can
        roots = held._credit_hold_authority_roots()
        limited = held.filtered(lambda d: d.company_id._credit_hold_root() in roots)
        can.update(dict.fromkeys((held - limited).ids, True))
        if limited:
            amounts = limited._credit_hold_release_amounts(cumulative=False)
            for doc in limited:
                can[doc.id] = user._credit_release_covers(doc.company_id, amounts[doc.id])
        return can

    # ------------------------------------------------------------------
    # Release within authority
    # ------------------------------------------------------------------

    def credit_release(self, reason):
        """Release held documents within the release authority of the user
        (when the company's Release Authority is on): refused with a
        UserError naming the figure and the limit beyond it."""
        self._credit_hold_check_controller()
        notes = self._credit_hold_check_authority()
        released = super().credit_release(reason)
        for doc in released:
            if doc.id in notes:
                doc.sudo()._message_log(body=notes[doc.id])
        return released

    def _credit_hold_check_authority(self):
        """Raise when a document is beyond the user's release authority.

        :return: {document id: the note recording the authority used}, for
            the documents of companies where release authority applies
        """
        roots = self._credit_hold_authority_roots()
        docs = self.filtered(lambda d: d.credit_status == "held" and d.company_id._credit_hold_root() in roots)
        if not docs:
            return {}
        user = self.env.user
        amounts = docs._credit_hold_release_amounts()
        notes = {}
        for doc in docs:
            currency = doc.company_id._credit_hold_root().currency_id
            figure = format_amount(self.env, amounts[doc.id], currency)
            limit = user._credit_release_authority(doc.company_id)
            if not user._credit_release_covers(doc.company_id, amounts[doc.id]):
                raise UserError(
                    self.env._(
                        "%(doc)s is beyond your release authority: the customer's exposure including it would "
                        "be %(figure)s, your release limit is %(limit)s. Escalate it to a credit controller "
                        "whose authority covers it.",
                        doc=doc.display_name,
                        figure=figure,
                        limit=format_amount(self.env, limit or 0.0, currency),
                    )
                )
            if limit is None:
                notes[doc.id] = self.env._(
                    "Released with unlimited release authority (exposure including this document: %(figure)s).",
                    figure=figure,
                )
            else:
                notes[doc.id] = self.env._(
                    "Released within release limit %(limit)s (exposure including this document: %(figure)s).",
                    limit=format_amount(self.env, limit, currency),
                    figure=figure,
                )
        return notes

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    def action_credit_escalate(self):
        """Button: hand the review to a controller with more authority (wizard)."""
        self._credit_hold_check_controller()
        return self.env["credit.hold.escalate"]._action_open(self)

    def credit_escalate(self, note):
        """Reassign the review activity of held documents to a credit
        controller of their company whose release authority covers them; the
        note is logged and the documents stay held.

        :param str note: why, for the controller who takes it over (required)
        :return: {document id: the user the review went to}
        """
        self._credit_hold_check_controller()
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("Add a note for the credit controller who takes the review over."))
        not_held = self.filtered(lambda d: d.credit_status != "held")
        if not_held:
            raise UserError(
                self.env._(
                    "Only held documents can be escalated: %(docs)s.",
                    docs=", ".join(not_held.mapped("display_name")),
                )
            )
        amounts = self._credit_hold_release_amounts(cumulative=False)
        assigned = {}
        for doc in self:
            currency = doc.company_id._credit_hold_root().currency_id
            figure = format_amount(self.env, amounts[doc.id], currency)
            user = doc._credit_hold_escalation_user(amounts[doc.id])
            if not user:
                raise UserError(
                    self.env._(
                        "Nobody else in %(company)s has the release authority for %(doc)s (exposure including "
                        "it: %(figure)s): a Credit Manager can raise a controller's release limit.",
                        company=doc.company_id.display_name,
                        doc=doc.display_name,
                        figure=figure,
                    )
                )
            doc._credit_hold_reassign_activity(user, note)
            doc.sudo()._message_log(
                body=self.env._(
                    "Credit review escalated by %(user)s to %(to)s (exposure including this document: "
                    "%(figure)s): %(note)s",
                    user=self.env.user.name,
                    to=user.name,
                    figure=figure,
                    note=note,
                )
            )
            assigned[doc.id] = user
        return assigned

    def _credit_hold_escalation_user(self, amount):
        """Who takes the review over: the customer's credit controller, else
        the company's default controller, else a credit manager of the
        company, else the controller with the smallest authority that covers
        ``amount``, else a system administrator; never the user escalating."""
        self.ensure_one()
        company = self.company_id
        controllers = self.env.ref(CONTROLLER_GROUP).sudo().users

        def eligible(user):
            return (
                user in controllers
                and user.active
                and user != self.env.user
                and company in user.company_ids
                and user._credit_release_covers(company, amount)
            )

        partner = self._credit_hold_partner().with_company(company).sudo()
        for user in (
            partner.credit_controller_id,
            company.sudo().credit_hold_controller_id,
            company._credit_hold_root().credit_hold_controller_id,
        ):
            if user and eligible(user):
                return user
        candidates = controllers.filtered(eligible)

        def rank(user):
            # the credit managers first, then the controller with the smallest
            # authority that covers it; a system administrator only when no
            # credit user can take it
            limit = user._credit_release_authority(company)
            return (
                user.has_group("base.group_system"),
                not user.has_group(MANAGER_GROUP),
                limit is None,
                limit or 0.0,
                user.id,
            )

        return candidates.sorted(rank)[:1]

    def _credit_hold_reassign_activity(self, user, note):
        """Move the review activity of the document to ``user`` with ``note``
        (one is scheduled when there is none)."""
        self.ensure_one()
        activity_type = self.env.ref(ACTIVITY_TYPE)
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        if activities:
            activities.write({"user_id": user.id, "note": plaintext2html(note)})
            return
        self.sudo().activity_schedule(
            ACTIVITY_TYPE,
            user_id=user.id,
            summary=self.env._("Credit hold: review %(doc)s", doc=self.display_name),
            note=plaintext2html(note),
        )
