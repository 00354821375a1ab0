# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import dataclasses
from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..decision import REASON_ENFORCED, REASON_NEW_CUSTOMER, REASON_OVER_LIMIT, REASON_OVERDUE, decide
from .res_partner import CONTROLLER_GROUP

# Written only through the actions below (checked on the server).
PROTECTED_FIELDS = {
    "credit_status",
    "credit_held_reason",
    "credit_held_date",
    "credit_released_uid",
    "credit_released_date",
    "credit_release_reason",
    "credit_released_amount",
}
ACTIVITY_TYPE = "credit_hold.mail_activity_type_credit_hold"


class CreditHoldMixin(models.AbstractModel):
    """Credit hold of a document (sale order, customer invoice, ...).

    A model using the mixin implements the small ``_credit_hold_*`` methods
    marked "to implement" and calls :meth:`_credit_hold_stop_held` on the
    documents it is about to confirm or post: the held ones are marked and
    left as they are, the others go on.

    The decision itself is :meth:`_credit_hold_get_hold_reasons`, the one hook
    other modules extend to add their own reasons (R22).
    """

    _name = "credit.hold.mixin"
    _description = "Credit Hold on Documents"

    credit_status = fields.Selection(
        selection=[("none", "Not held"), ("held", "Credit held"), ("released", "Released")],
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    credit_held_reason = fields.Char(copy=False, readonly=True)
    credit_held_date = fields.Datetime(string="Held Since", copy=False, readonly=True)
    credit_released_uid = fields.Many2one("res.users", string="Released By", copy=False, readonly=True)
    credit_released_date = fields.Datetime(string="Released On", copy=False, readonly=True)
    credit_release_reason = fields.Char(copy=False, readonly=True)
    credit_released_amount = fields.Float(
        copy=False,
        readonly=True,
        digits="Account",
        help="Amount a credit controller released, in the company currency: downstream "
        "documents are not held again for it.",
    )
    credit_warning = fields.Boolean(
        string="Customer Near Credit Limit",
        compute="_compute_credit_warning",
    )
    credit_warning_message = fields.Char(compute="_compute_credit_warning")

    # ------------------------------------------------------------------
    # To implement by each document model
    # ------------------------------------------------------------------

    def _credit_hold_partner(self):
        """The commercial partner whose credit this document uses."""
        raise NotImplementedError

    def _credit_hold_amount(self):
        """Amount of the document in its company's currency."""
        raise NotImplementedError

    def _credit_hold_is_enabled(self):
        """Whether the company stops this kind of document."""
        raise NotImplementedError

    def _credit_hold_adds_amount(self):
        """True when the document is checked against the exposure with its
        own amount (an order: "would this order take the customer over the
        limit?"); False when only the customer's hold matters (an invoice)."""
        return False

    def _credit_hold_amount_to_add(self):
        """What the document adds to the exposure when it is checked."""
        return self._credit_hold_amount()

    def _credit_hold_exemption(self):
        """A message when the document is not checked (paid, released...)."""
        return False

    def _credit_hold_carry_through(self):
        """Confirm / post the document after a release."""
        raise NotImplementedError

    def _credit_hold_can_rehold(self):
        """Whether a released document can still be stopped."""
        raise NotImplementedError

    def _credit_hold_back_to_draft(self):
        """Return a confirmed document to draft (re-hold, cancel check)."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Computes, CRUD
    # ------------------------------------------------------------------

    @api.depends("company_id", "state")
    def _compute_credit_warning(self):
        self.credit_warning = False
        self.credit_warning_message = False
        drafts = self.filtered(lambda d: d.id and d.state in ("draft", "sent") and d.company_id.credit_hold_enabled)
        by_company = defaultdict(lambda: self.browse())
        for doc in drafts:
            by_company[doc.company_id] |= doc
        for company, docs in by_company.items():
            partners = self.env["res.partner"].browse({d._credit_hold_partner().id for d in docs} - {False})
            results = partners._credit_hold_compute(company)
            for doc in docs:
                result = results.get(doc._credit_hold_partner().id)
                if not result or not result[1].warning:
                    continue
                decision = result[1]
                doc.credit_warning = True
                doc.credit_warning_message = self.env._(
                    "%(partner)s is at %(amount)s of an effective credit limit of %(limit)s.",
                    partner=doc._credit_hold_partner().display_name,
                    amount=format_amount(self.env, decision.compared_amount, company.currency_id),
                    limit=format_amount(self.env, decision.effective_limit, company.currency_id),
                )

    def _credit_hold_check_protected(self, vals_list):
        if self.env.su or self.env.user.has_group(CONTROLLER_GROUP):
            return
        if any(PROTECTED_FIELDS & vals.keys() for vals in vals_list):
            raise AccessError(self.env._("Only a Credit Controller can change the credit status of a document."))

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_hold_check_protected(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._credit_hold_check_protected([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # The decision (R22: the hook)
    # ------------------------------------------------------------------

    def _credit_hold_get_hold_reasons(self):
        """Decide, for each document of ``self``, whether it is held and why.

        This is the one hook of the module: override it, call ``super()`` and
        append your own reasons (strings, in words) to the lists of the
        documents you want held. A document is held when its list is not empty.

        Documents are decided in the order of ``self``: an order that passes
        counts in the exposure of the next order of the same customer.

        :return: {document id: [reason, ...]}
        """
        reasons = {doc.id: [] for doc in self}
        by_company = defaultdict(list)
        for doc in self:
            by_company[doc.company_id].append(doc)
        for company, docs in by_company.items():
            partners = self.env["res.partner"].browse({d._credit_hold_partner().id for d in docs})
            policy = company.sudo()._credit_hold_policy()
            results = partners._credit_hold_compute(company)
            added = defaultdict(float)
            for doc in docs:
                partner = doc._credit_hold_partner()
                figures, _decision = results[partner.id]
                doc_policy = policy
                if doc._credit_hold_adds_amount():
                    # an order is exposure by nature: compare exposure + this order
                    doc_policy = dataclasses.replace(policy, limit_basis="exposure")
                    figures = dataclasses.replace(
                        figures, document_amount=added[partner.id] + doc._credit_hold_amount_to_add()
                    )
                decision = decide(doc_policy, figures)
                if decision.on_hold:
                    reasons[doc.id].extend(doc._credit_hold_reason_words(decision, company))
                elif doc._credit_hold_adds_amount():
                    added[partner.id] += doc._credit_hold_amount_to_add()
        return reasons

    def _credit_hold_reason_words(self, decision, company):
        """The reasons of a decision, with their figures, for a document."""
        currency = company.currency_id
        words = []
        for code in decision.reasons:
            if code == REASON_ENFORCED:
                words.append(self.env._("Customer put on hold by a credit controller"))
            elif code == REASON_NEW_CUSTOMER:
                words.append(self.env._("New customer: awaiting first payment"))
            elif code == REASON_OVER_LIMIT:
                words.append(
                    self.env._(
                        "Over credit limit: %(basis)s %(amount)s >= limit %(limit)s",
                        basis=self.env._("exposure with this document")
                        if self._credit_hold_adds_amount()
                        else self.env._("balance")
                        if company.credit_hold_limit_basis == "balance"
                        else self.env._("exposure"),
                        amount=format_amount(self.env, decision.compared_amount, currency),
                        limit=format_amount(self.env, decision.effective_limit, currency),
                    )
                )
            elif code == REASON_OVERDUE:
                words.append(
                    self.env._(
                        "%(count)s overdue invoice(s), %(amount)s overdue",
                        count=decision.overdue_count,
                        amount=format_amount(self.env, decision.overdue_amount, currency),
                    )
                )
        return words

    # ------------------------------------------------------------------
    # Stopping documents
    # ------------------------------------------------------------------

    def _credit_hold_lock_partners(self):
        """R16: serialize the checks of a customer across transactions.

        Odoo runs in REPEATABLE READ: a row lock taken after the snapshot does
        not make a concurrent commit visible. Updating one shared row per
        customer does: the second transaction gets a serialization failure
        and Odoo's request retry runs it again on a fresh snapshot, where it
        sees the first document. Must run before any figure is read, and
        never inside a savepoint that swallows the error.
        """
        partner_ids = sorted({doc._credit_hold_partner().id for doc in self} - {False})
        if not partner_ids:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO credit_hold_lock (partner_id, locked_at)
                SELECT pid, now() AT TIME ZONE 'UTC' FROM unnest(%s::int[]) AS pid
                ON CONFLICT (partner_id) DO UPDATE SET locked_at = EXCLUDED.locked_at
                """,
                partner_ids,
            ),
            # a serialization failure here is the expected outcome of a race:
            # the caller's retry handles it, no "bad query" error in the log
            log_exceptions=False,
        )

    def _credit_hold_stop_held(self):
        """Check the documents about to be confirmed or posted.

        Marks the held ones (status, reason, chatter message, activity for
        their credit controller) and returns them; the caller carries on with
        the others. Never raises for a hold: the hold must persist.
        """
        candidates = self.browse()
        for doc in self:
            if not doc._credit_hold_is_enabled():
                continue
            exemption = doc._credit_hold_exemption()
            if exemption:
                if exemption is not True:
                    doc.sudo().message_post(body=exemption)
                continue
            candidates |= doc
        if not candidates:
            return self.browse()
        candidates._credit_hold_lock_partners()
        reasons = candidates._credit_hold_get_hold_reasons()
        held = candidates.filtered(lambda d: reasons.get(d.id))
        held._credit_hold_mark_held(reasons)
        return held

    def _credit_hold_mark_held(self, reasons):
        now = fields.Datetime.now()
        for doc in self:
            reason = "; ".join(reasons[doc.id])
            if doc.credit_status == "held" and doc.credit_held_reason == reason:
                continue  # already held for the same reason: nothing new to say
            doc.sudo().write(
                {
                    "credit_status": "held",
                    "credit_held_reason": reason,
                    "credit_held_date": doc.credit_held_date if doc.credit_status == "held" else now,
                }
            )
            doc.sudo().message_post(
                body=self.env._("Credit hold: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            doc._credit_hold_schedule_activity(reason)

    def _credit_hold_schedule_activity(self, reason):
        self.ensure_one()
        user = self._credit_hold_partner()._credit_hold_controller_user(self.company_id)
        if not user:
            return
        existing = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE))
        if existing:
            existing.write({"note": reason})
            return
        doc = self.sudo()
        if self.env.user.share:
            # a portal or public user (e-commerce, signature) is no sender for the
            # controller's notification: the system schedules it
            doc = doc.with_user(SUPERUSER_ID)
        doc.activity_schedule(
            ACTIVITY_TYPE,
            user_id=user.id,
            summary=self.env._("Credit hold: review %(doc)s", doc=self.display_name),
            note=reason,
        )

    def _credit_hold_close_activities(self, feedback):
        self.sudo().activity_feedback([ACTIVITY_TYPE], feedback=feedback)

    def _credit_hold_notification(self, held, passed=None):
        """A client notification that says what was held and why."""
        lines = [self.env._("%(doc)s: %(reason)s", doc=doc.display_name, reason=doc.credit_held_reason) for doc in held]
        if passed:
            title = self.env._("%(held)s held, %(passed)s went through", held=len(held), passed=len(passed))
        else:
            title = self.env._("Credit hold: not confirmed")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n".join(lines)
                + "\n"
                + self.env._("A credit controller has been asked to review. Nothing was lost."),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Controller actions
    # ------------------------------------------------------------------

    def _credit_hold_check_controller(self):
        if not self.env.user.has_group(CONTROLLER_GROUP):
            raise AccessError(self.env._("Only a Credit Controller can release, hold or cancel a credit check."))

    def action_credit_release(self):
        """Button: ask for the reason of the release (wizard)."""
        self._credit_hold_check_controller()
        return self.env["credit.hold.release"]._action_open(self)

    def credit_release(self, reason):
        """Release held documents and carry them through (confirm / post).

        Checks the Credit Controller group; records who, when, why and the
        customer's exposure and limit at that moment (R11, R21).

        :param str reason: why the documents are released (required)
        :return: the released documents
        """
        self._credit_hold_check_controller()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the release: it is kept on the document."))
        not_held = self.filtered(lambda d: d.credit_status != "held")
        if not_held:
            raise UserError(
                self.env._(
                    "Only held documents can be released: %(docs)s.",
                    docs=", ".join(not_held.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        for doc in self:
            company = doc.company_id
            partner = doc._credit_hold_partner()
            figures, decision = partner._credit_hold_compute(company)[partner.id]
            currency = company.currency_id
            doc.sudo().write(
                {
                    "credit_status": "released",
                    "credit_released_uid": self.env.user.id,
                    "credit_released_date": now,
                    "credit_release_reason": reason,
                    "credit_released_amount": doc._credit_hold_amount(),
                }
            )
            doc.message_post(
                body=self.env._(
                    "Credit hold released by %(user)s: %(reason)s. At release: exposure %(exposure)s, "
                    "balance %(balance)s, overdue %(overdue)s, effective limit %(limit)s. Held for: %(held)s",
                    user=self.env.user.name,
                    reason=reason,
                    exposure=format_amount(self.env, decision.exposure, currency),
                    balance=format_amount(self.env, figures.total_balance, currency),
                    overdue=format_amount(self.env, decision.overdue_amount, currency),
                    limit=format_amount(self.env, decision.effective_limit, currency)
                    if decision.effective_limit is not None
                    else self.env._("none"),
                    held=doc.credit_held_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            doc._credit_hold_close_activities(self.env._("Released: %(reason)s", reason=reason))
        self._credit_hold_carry_through()
        return self

    def action_credit_hold(self):
        """Button: put released documents back on hold while they can still be stopped."""
        self._credit_hold_check_controller()
        for doc in self:
            if doc.credit_status != "released" or not doc._credit_hold_can_rehold():
                raise UserError(
                    self.env._(
                        "%(doc)s cannot be held again: only a released document that is not yet "
                        "delivered, invoiced or paid can.",
                        doc=doc.display_name,
                    )
                )
        self._credit_hold_back_to_draft()
        for doc in self:
            reason = self.env._("Put back on hold by %(user)s", user=self.env.user.name)
            doc._credit_hold_mark_held({doc.id: [reason]})
        return True

    def action_credit_cancel_check(self):
        """Button: take the document off the held list, back to draft, not released."""
        self._credit_hold_check_controller()
        released = self.filtered(lambda d: d.credit_status == "released")
        for doc in released:
            if not doc._credit_hold_can_rehold():
                raise UserError(
                    self.env._(
                        "The credit check of %(doc)s cannot be cancelled any more: it is delivered, invoiced or paid.",
                        doc=doc.display_name,
                    )
                )
        released._credit_hold_back_to_draft()
        for doc in self.filtered(lambda d: d.credit_status != "none"):
            doc.sudo().write(
                {
                    "credit_status": "none",
                    "credit_held_reason": False,
                    "credit_held_date": False,
                    "credit_released_amount": 0.0,
                }
            )
            doc.message_post(
                body=self.env._("Credit check cancelled by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
            doc._credit_hold_close_activities(self.env._("Credit check cancelled"))
        return True

    def _credit_hold_forget(self):
        """A held document that is cancelled leaves the held list."""
        held = self.filtered(lambda d: d.credit_status == "held")
        if held:
            held.sudo().write({"credit_status": "none", "credit_held_reason": False, "credit_held_date": False})
            held._credit_hold_close_activities(self.env._("Document cancelled"))

    @api.model
    def _get_credit_hold_documents(self, company, partner_ids):
        """Held documents of these customers in ``company`` (to implement)."""
        raise NotImplementedError

    @api.model
    def _credit_hold_bulk(self, documents, method, done_label, *args):
        """Run ``method`` on each document on its own (a savepoint each), so that
        one that cannot be processed does not stop the others, and return one
        summary notification. Access errors are not caught: they stop all."""
        done, failed = [], []
        for document in documents:
            try:
                with self.env.cr.savepoint():
                    getattr(document, method)(*args)
                done.append(document.display_name)
            except (UserError, ValidationError) as error:
                failed.append(f"{document.display_name}: {error.args[0] if error.args else error}")
        lines = []
        if done:
            lines.append(
                self.env._("%(count)s %(label)s: %(docs)s", count=len(done), label=done_label, docs=", ".join(done))
            )
        if failed:
            lines.append(self.env._("%(count)s not processed:", count=len(failed)))
            lines.extend(failed)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Credit control"),
                "message": "\n".join(lines),
                "type": "warning" if failed else "success",
                "sticky": bool(failed),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _credit_hold_retry(self):
        """R12: re-check held documents after their customer's hold lifted;
        those that now pass are carried through, the others stay held."""
        docs = self.filtered(lambda d: d.credit_status == "held")
        if not docs:
            return self.browse()
        docs._credit_hold_lock_partners()
        reasons = docs._credit_hold_get_hold_reasons()
        passing = docs.filtered(lambda d: not reasons.get(d.id))
        docs.filtered(lambda d: reasons.get(d.id))._credit_hold_mark_held(reasons)
        if passing:
            passing.sudo().write({"credit_status": "none", "credit_held_reason": False})
            for doc in passing:
                doc.message_post(
                    body=self.env._("The customer's credit hold lifted: carried through automatically."),
                    subtype_xmlid="mail.mt_note",
                )
            passing._credit_hold_close_activities(self.env._("Hold lifted"))
            passing.sudo().with_context(credit_hold_retrying=True)._credit_hold_carry_through()
        return passing
