# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html
from odoo.tools.misc import format_amount

from ..compat import PARTNER_BLOCKING_WARNINGS, SERIES, group_users
from ..decision import REASON_BLOCKED, REASON_ENFORCED, codes_to_text, decide, text_to_codes
from .credit_hold_reason import REASON_MANUAL
from .res_partner import CONTROLLER_GROUP, MANAGER_GROUP

# Written only through the actions below, as superuser (checked on the
# server, whatever the source of the value: values, context defaults,
# ir.default, copy()).
PROTECTED_FIELDS = {
    "credit_hold_started_date",
    "credit_hold_ended_date",
    "credit_hold_outcome",
    "credit_status",
    "credit_held_reason_codes",
    "credit_held_reasons",
    "credit_held_date",
    "credit_released_uid",
    "credit_released_date",
    "credit_release_reason",
    "credit_released_amount",
    "credit_released_partner_id",
}
#: When a hold ended and how (the held-documents analysis), kept after it ended.
TIME_FIELDS = ("credit_hold_started_date", "credit_hold_ended_date", "credit_hold_outcome")
TIME_CLEARED = dict.fromkeys(TIME_FIELDS, False)
#: How a hold ended.
OUTCOMES = [("released", "Released"), ("carried", "Carried through"), ("cancelled", "Cancelled")]
# Holds a person decided (a controller's hold, a released document put back on
# hold, a blocking warning): the customer is not e-mailed for them alone.
SILENT_REASONS = {REASON_ENFORCED, REASON_MANUAL, REASON_BLOCKED}
CUSTOMER_MAIL_LAYOUT = "mail.mail_notification_light"
ACTIVITY_TYPE = "credit_hold.mail_activity_type_credit_hold"
# Why a document is held and who released it are internal notes: never read
# by portal users (their pages read what they show as superuser).
INTERNAL_GROUP = "base.group_user"
CARRY_THROUGH_CRON = "credit_hold.ir_cron_credit_hold_carry_through"
RELEASE_CLEARED = {
    "credit_released_uid": False,
    "credit_released_date": False,
    "credit_release_reason": False,
    "credit_released_amount": 0.0,
    "credit_released_partner_id": False,
}
# a hold (or a release) forgotten: the credit check cancelled, the document
# cancelled or reset to draft
HOLD_FORGOTTEN = {
    "credit_status": "none",
    "credit_held_reason_codes": False,
    "credit_held_reasons": False,
    "credit_held_date": False,
    **RELEASE_CLEARED,
}


def _entry_point(cls, name):
    """The method ``name`` of the registry class ``cls`` of a document model:
    the credit decision first, for the whole recordset, then the rest of the
    model's chain (every module's override, looked up at call time) for the
    documents that pass. The decision is the method named in the model's
    ``_credit_hold_entry_points``, called with ``proceed(records)``."""

    def entry(self, *args, **kwargs):
        def proceed(records):
            return getattr(super(cls, records), name)(*args, **kwargs)

        return getattr(self, self._credit_hold_entry_points[name])(proceed)

    entry.__name__ = name
    entry.__qualname__ = f"{cls.__name__}.{name}"
    entry.credit_hold_entry_point = True
    return entry


class CreditHoldMixin(models.AbstractModel):
    """Credit hold of a document (sale order, customer invoice, ...).

    A model using the mixin implements the small ``_credit_hold_*`` methods
    marked "to implement" and calls :meth:`_credit_hold_stop_held` on the
    documents it is about to confirm or post: the held ones are marked and
    left as they are, the others go on.

    The decision itself is :meth:`_credit_hold_get_hold_reasons`, the one hook
    other modules extend to add their own reasons (rule R22).
    """

    _name = "credit.hold.mixin"
    _description = "Credit Hold on Documents"

    #: {public method: decision method}: where the credit decision runs for
    #: this kind of document. The public method of the model's registry class
    #: (the top of its chain, above every module's override) is replaced at
    #: setup by one that calls the decision method with ``proceed(records)``,
    #: the rest of the chain (see :func:`_entry_point` and the README).
    _credit_hold_entry_points = {}
    #: the stored field of the customer whose credit a document uses
    _credit_hold_partner_field = "credit_partner_id"
    #: the states of a document that a hold still stops (a held document
    #: is found in them to be re-checked)
    _credit_hold_pending_states = ()
    #: the document in the held list (``credit.hold.document``): its type
    #: (``order``), and its index, which makes the list's row ids
    #: (``id * 16 + index``): never reuse or change one. A model under the
    #: mixin with a type is in the list, and its fields that the list reads
    #: (these, its partner field, ``company_id`` and the credit fields) are
    #: flushed before the list is searched.
    _credit_hold_document_type = None
    _credit_hold_document_index = None
    _credit_hold_document_depends = ("name",)

    credit_status = fields.Selection(
        selection=[("none", "Not held"), ("held", "Credit held"), ("released", "Released")],
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    credit_held_reason_codes = fields.Char(
        groups=INTERNAL_GROUP,
        string="Hold Reason Codes",
        copy=False,
        readonly=True,
        help="Why the document is held, as language-independent codes: filters and group-by use them.",
    )
    credit_held_reasons = fields.Json(
        groups=INTERNAL_GROUP,
        copy=False,
        readonly=True,
        help='The reasons with their figures at the time of the hold: [{"code", "figures", "label"}].',
    )
    credit_held_reason = fields.Char(
        groups=INTERNAL_GROUP,
        string="Hold Reason",
        compute="_compute_credit_held_reason",
        help="Why the document is held, with the figures at that time, in your language.",
    )
    credit_held_date = fields.Datetime(string="Held Since", copy=False, readonly=True)
    credit_released_uid = fields.Many2one(
        "res.users", string="Released By", copy=False, readonly=True, groups=INTERNAL_GROUP
    )
    credit_released_date = fields.Datetime(string="Released On", copy=False, readonly=True)
    credit_release_reason = fields.Char(copy=False, readonly=True, groups=INTERNAL_GROUP)
    credit_released_amount = fields.Float(
        groups=INTERNAL_GROUP,
        copy=False,
        readonly=True,
        digits="Account",
        help="Amount a credit controller released, in the company currency: downstream "
        "documents are not held again for it.",
    )
    credit_released_partner_id = fields.Many2one(
        "res.partner",
        groups=INTERNAL_GROUP,
        string="Released For",
        copy=False,
        readonly=True,
        help="The customer the release was given for: it does not follow the document to another customer.",
    )
    credit_hold_started_date = fields.Datetime(
        string="Last Hold Started",
        copy=False,
        readonly=True,
        help="When the last hold of the document began (kept after the hold ended).",
    )
    credit_hold_ended_date = fields.Datetime(
        string="Last Hold Ended",
        copy=False,
        readonly=True,
        help="When the last hold ended: released, carried through or cancelled.",
    )
    credit_hold_outcome = fields.Selection(
        selection=OUTCOMES,
        string="Hold Outcome",
        copy=False,
        readonly=True,
        help="How the last hold ended: released by a credit controller, carried through when the "
        "customer's hold lifted, or cancelled (credit check cancelled, document cancelled or reset to draft).",
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
        """Whether the company stops this kind of document in its current state."""
        raise NotImplementedError

    def _credit_hold_document_amount(self):
        """What the document would add to the customer's exposure if it went
        through (an order: "would this order take the customer over the
        limit?"), or None when only the customer's hold matters (an invoice,
        whose amount is already in the balance once posted)."""
        return None

    def _credit_hold_exemption(self):
        """A message (or True) when the document is not checked (paid, released...)."""
        return False

    def _credit_hold_go_through(self):
        """Confirm / post / validate the documents with the model's public
        method, through every module's code (to implement; called by
        :meth:`_credit_hold_carry_through`, with the documents marked as
        checked)."""
        raise NotImplementedError

    def _credit_hold_carry_through(self):
        """Confirm / post the documents, already checked (released, or passing
        a re-check): the public method of the whole chain, without a second
        check of these documents."""
        with self._credit_hold_checking():
            return self._credit_hold_go_through()

    def _credit_hold_can_rehold(self):
        """Whether a released document can still be stopped."""
        raise NotImplementedError

    def _credit_hold_back_to_draft(self):
        """Return a confirmed document to draft (re-hold, cancel check)."""
        raise NotImplementedError

    @api.model
    def _credit_hold_document_models(self):
        """The names of the models under the mixin that are held documents
        (those with a ``_credit_hold_document_type``), in the order of their
        index. Found in the registry: a model that inherits one of them under
        another name (prototype inheritance) is not another kind."""
        registry = self.env.registry
        by_type = {}
        for name in registry.descendants(["credit.hold.mixin"], "_inherit"):
            cls = registry[name]
            kind = cls._credit_hold_document_type
            if kind and not cls._abstract and not cls._transient:
                by_type.setdefault(kind, cls)
        return [cls._name for cls in sorted(by_type.values(), key=lambda cls: cls._credit_hold_document_index)]

    @api.model
    def _credit_hold_document_label(self):
        """The name of this kind of document in the held list, in the
        reader's language."""
        raise NotImplementedError

    @api.model
    def _credit_hold_document_row(self, alias):
        """This model's row in the held list: ``{"name", "user", "amount"}``,
        SQL expressions over its table under ``alias`` (the salesperson, the
        amount in the company currency)."""
        raise NotImplementedError

    @api.model
    def _credit_hold_order_amount_sql(self, order_id):
        """SQL: the total of the sales order ``order_id`` (an SQL expression)
        in the company currency, converted as the order's own row of the held
        list; 0 without an order. For documents whose amount is their order's."""
        return SQL(
            "COALESCE((SELECT so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) "
            "FROM sale_order so WHERE so.id = %s), 0)",
            order_id,
        )

    @api.model
    def _get_credit_hold_documents(self, company, partner_ids):
        """Held documents of these customers in ``company`` and its branches,
        still pending (first held, first re-checked)."""
        return self.search(
            [
                ("credit_status", "=", "held"),
                ("company_id", "in", company._credit_hold_family().ids),
                (self._credit_hold_partner_field, "in", partner_ids),
                ("state", "in", self._credit_hold_pending_states),
            ],
            order="id",
        )

    def _credit_hold_carriable(self):
        """Those of these documents the current user may carry through."""
        return self._filtered_access("write")

    def _credit_hold_warning_field(self):
        """The partner's warning field of this kind of document (``sale_warn``,
        ``invoice_warn``, ``picking_warn``): set to "Blocking Message" it
        holds the document (reason ``blocked``), on every path. None: no
        warning applies."""
        return None

    def _credit_hold_warning_partners(self):
        """The partners whose warning applies to this document, in the order
        Odoo's own onchange reads them: the document's partner, then its
        parent, then the commercial partner."""
        self.ensure_one()
        partner = self.partner_id
        return partner | partner.parent_id | partner.commercial_partner_id

    # ------------------------------------------------------------------
    # Where the decision runs: first in the chain, for the whole recordset
    # ------------------------------------------------------------------

    # Set at the end of every model setup (not in _register_hook, which a
    # registry being loaded has not run yet: data, demo and migrations
    # confirm and post too): the hook Odoo calls there was renamed in 19.0.
    if SERIES >= 19:

        def _post_model_setup__(self):
            result = super()._post_model_setup__()
            self._credit_hold_setup_class()
            return result

    else:

        @api.model
        def _setup_complete(self):
            result = super()._setup_complete()
            self._credit_hold_setup_class()
            return result

    @api.model
    def _credit_hold_setup_class(self):
        """Replace the entry points of the model's registry class (see
        ``_credit_hold_entry_points``), and give the held list the fields of
        this model that it reads. The registry class is reused when more
        modules load into the same registry, so an entry point is set once
        (its marker)."""
        cls = self.env.registry[self._name]
        for name in self._credit_hold_entry_points:
            if not getattr(cls.__dict__.get(name), "credit_hold_entry_point", False):
                setattr(cls, name, _entry_point(cls, name))
        # the held list reads this model's table: its fields are flushed
        # before the list is searched (the SQL view's ``_depends``)
        held_list = self.env.registry.get("credit.hold.document")
        if cls._credit_hold_document_type and not cls._abstract and held_list is not None:
            fields = {
                *cls._credit_hold_document_depends,
                cls._credit_hold_partner_field,
                "company_id",
                *PROTECTED_FIELDS,
                *TIME_FIELDS,
            }
            held_list._depends = {**held_list._depends, cls._name: sorted(fields)}

    def _credit_hold_checked_ids(self):
        """Ids of the documents of this model that are being confirmed (or
        posted, validated) right now past the check: checked just now,
        released or carried through. A mark of the transaction, never of the
        context (which an RPC caller writes), and only while that call runs
        (see :meth:`_credit_hold_checking`)."""
        return self.env.cr.precommit.data.setdefault(f"credit_hold.checked.{self._name}", set())

    @contextmanager
    def _credit_hold_checking(self):
        """While in this block, these documents go through without a second
        check; the mark ends with the block, whatever happens in it."""
        checked = self._credit_hold_checked_ids()
        marked = set(self.ids) - checked
        checked |= marked
        try:
            yield
        finally:
            checked -= marked

    def _credit_hold_unchecked(self):
        """Those of these documents that are not being carried through past the check."""
        checked = self._credit_hold_checked_ids()
        return self.filtered(lambda doc: doc.id not in checked)

    def _credit_hold_proceed(self, proceed, default=True):
        """The rest of the chain for these documents (which passed), marked
        as checked while it runs; ``default`` when there are none."""
        if not self:
            return default
        with self._credit_hold_checking():
            return proceed(self)

    # ------------------------------------------------------------------
    # Computes, CRUD
    # ------------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("credit_held_reasons", "company_id")
    def _compute_credit_held_reason(self):
        reasons = self.env["credit.hold.reason"]
        for doc in self:
            doc.credit_held_reason = reasons._render_entries(doc.credit_held_reasons, doc.company_id.currency_id)

    @api.depends_context("lang")
    @api.depends("company_id", "state", "partner_id", "amount_total")
    def _compute_credit_warning(self):
        """The quotation's (or draft invoice's) warning, computed from its
        customer and amount while it is typed: near the limit (R9), or would
        be held if confirmed now."""
        self.credit_warning = False
        self.credit_warning_message = False
        # a customer being created in the same form has no figures yet
        docs = self.filtered(lambda d: d._credit_hold_partner()._origin and d._credit_hold_is_enabled())
        if not docs:
            return
        results = docs._credit_hold_customer_results()
        reasons = self.env["credit.hold.reason"]
        for doc in docs:
            root = doc.company_id._credit_hold_root()
            partner = doc._credit_hold_partner()
            figures, decision = results[root][partner.id]
            amount = doc._credit_hold_document_amount()
            if amount is not None:
                decision = decide(root._credit_hold_policy(), figures, document_amount=amount)
            currency = root.currency_id
            if decision.on_hold:
                doc.credit_warning = True
                doc.credit_warning_message = self.env._(
                    "%(partner)s: confirming this document now would hold it (%(reason)s).",
                    partner=partner.display_name,
                    reason=reasons._render_entries(decision.reason_entries(), currency),
                )
            elif decision.warning:
                doc.credit_warning = True
                doc.credit_warning_message = self.env._(
                    "%(partner)s is at %(amount)s of an effective credit limit of %(limit)s.",
                    partner=partner.display_name,
                    amount=format_amount(self.env, decision.compared_amount, currency),
                    limit=format_amount(self.env, decision.effective_limit, currency),
                )

    def _credit_hold_silence_native_warning(self):
        """Odoo's own credit banner (``partner_credit_warning``): where credit
        hold is on, ours replaces it, so that the user sees one banner."""
        for doc in self:
            if doc.company_id._credit_hold_is_on():
                doc.partner_credit_warning = ""

    def _credit_hold_protected_error(self):
        return AccessError(
            self.env._(
                "The credit status of a document is changed only by its credit actions (Release, Credit Hold, "
                "Cancel Credit Check), not by writing it."
            )
        )

    def _credit_hold_check_protected(self, vals_list):
        if not self.env.su and any(PROTECTED_FIELDS & vals.keys() for vals in vals_list):
            raise self._credit_hold_protected_error()

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_hold_check_protected(vals_list)
        records = super().create(vals_list)
        if not self.env.su:
            # values that came from elsewhere than vals: the context's
            # default_<field> keys (an RPC caller writes them), ir.default
            for doc in records:
                if doc.credit_status != "none" or any(doc[name] for name in PROTECTED_FIELDS - {"credit_status"}):
                    raise self._credit_hold_protected_error()
        return records

    def write(self, vals):
        self._credit_hold_check_protected([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # The decision (R22: the hook)
    # ------------------------------------------------------------------

    def _credit_hold_customer_results(self, lock=False):
        """Figures and decision of the customers of these documents, gathered
        once for all of them: {root company: {partner id: (Figures, Decision)}}.

        :param bool lock: R16, for a check that decides: serialize the checks
            of a customer across transactions. Odoo runs in REPEATABLE READ:
            a row lock does not make a concurrent commit visible, but updating
            one shared row per customer (``credit_hold_lock``, in the same
            statement as the figures) does: the second transaction waits,
            then gets a serialization failure and Odoo's request retry runs
            it again on a fresh snapshot, where it sees the first document.
            Never inside a savepoint that swallows the error.
        """
        by_root = defaultdict(set)
        for doc in self:
            by_root[doc.company_id._credit_hold_root()].add(doc._credit_hold_partner()._origin.id)
        partners = self.env["res.partner"]
        # what the check reads of the customer besides its settings (who reviews
        # a held document, Odoo's Blocking Message), read with them
        field = self._credit_hold_blocking_field()
        extra = ["credit_controller_id"]
        if field:
            extra += ["parent_id", "commercial_partner_id", field, f"{field}_msg"]
        return {
            root: partners.browse(ids)._credit_hold_compute(root, lock=lock, extra_fields=extra)
            for root, ids in by_root.items()
        }

    def _credit_hold_get_hold_reasons(self, results):
        """Decide, for each document of ``self``, whether it is held and why.

        This is the one hook of the module: override it, call ``super()`` and
        append your own reasons to the lists of the documents you want held,
        as ``{"code": "my_code", "label": "In words"}`` (the code is stored
        and filtered on; add it to ``credit.hold.reason._get_labels`` to have
        it shown in the reader's language). A document is held when its list
        is not empty.

        Documents are decided in the order of ``self``: an order that passes
        counts in the exposure of the next order of the same customer.

        :param dict results: the customers' figures and decisions, as
            returned by :meth:`_credit_hold_customer_results`
        :return: {document id: [{"code", "figures", "label"}, ...]}
        """
        reasons = {doc.id: [] for doc in self}
        added = defaultdict(float)
        policies = {}
        for doc in self:
            root = doc.company_id._credit_hold_root()
            partner_id = doc._credit_hold_partner()._origin.id
            figures, decision = results[root][partner_id]
            amount = doc._credit_hold_document_amount()
            if amount is not None:
                if root not in policies:
                    policies[root] = root._credit_hold_policy()
                decision = decide(policies[root], figures, document_amount=added[root, partner_id] + amount)
            if decision.on_hold:
                reasons[doc.id].extend(decision.reason_entries())
            elif amount:
                added[root, partner_id] += amount
        self._credit_hold_add_blocked(reasons)
        return reasons

    def _credit_hold_blocking_field(self):
        """The partner warning field whose "Blocking Message" holds these
        documents, or None (no such field, or a series without it)."""
        field = self._credit_hold_warning_field()  # pylint: disable=assignment-from-none
        return field if field and PARTNER_BLOCKING_WARNINGS else None

    def _credit_hold_add_blocked(self, reasons):
        """Odoo's "Blocking Message" partner warning, which Odoo itself only
        enforces in the form's onchange, is a reason (``blocked``) with the
        warning's message (rules R15, R22)."""
        field = self._credit_hold_blocking_field()
        if not field:
            return
        for doc in self:
            blocking = doc._credit_hold_warning_partners().filtered(lambda p: p[field] == "block")[:1]
            if blocking:
                reasons[doc.id].insert(
                    0, {"code": REASON_BLOCKED, "figures": {"message": blocking[f"{field}_msg"] or ""}}
                )

    # ------------------------------------------------------------------
    # Stopping documents
    # ------------------------------------------------------------------

    def _credit_hold_stop_held(self):
        """Check the documents about to be confirmed or posted.

        Marks the held ones (status, reasons, chatter note, activity for
        their credit controller); the caller carries on with the others.
        Never raises for a hold: the hold must persist.

        :return: (held documents, the customers' figures as gathered for
            the check, see :meth:`_credit_hold_customer_results`)
        """
        candidates = self.browse()
        for doc in self:
            if not doc._credit_hold_is_enabled():
                continue
            exemption = doc._credit_hold_exemption()
            if exemption:
                if exemption is not True:
                    doc.sudo()._message_log(body=exemption)
                continue
            candidates |= doc
        if not candidates:
            return self.browse(), {}
        candidates._credit_hold_first_document()
        results = candidates._credit_hold_customer_results(lock=True)
        reasons = candidates._credit_hold_get_hold_reasons(results)
        held = candidates.filtered(lambda d: reasons.get(d.id))
        held._credit_hold_mark_held(reasons)
        return held, results

    def _credit_hold_refuse_if_held(self, applies, message):
        """R15: documents that went past their confirmation other than through
        the check (an import, a script, an RPC write of their state) are
        checked now; if one would be held, the change is refused with the
        reason.

        :param applies: whether the check applies to a document (a predicate)
        :param message: the error, from the refused documents' names and the
            reason in words
        """
        unchecked = self._credit_hold_unchecked()
        # a controller too: the release (within their authority) is their path
        if not unchecked or self.env.su:
            return
        candidates = unchecked.filtered(lambda d: applies(d) and not d._credit_hold_release_applies())
        if not candidates:
            return
        reasons = candidates._credit_hold_get_hold_reasons(candidates._credit_hold_customer_results(lock=True))
        refused = candidates.filtered(lambda d: reasons.get(d.id))
        if refused:
            first = refused[0]
            reason = self.env["credit.hold.reason"]._render_entries(reasons[first.id], first.company_id.currency_id)
            raise UserError(message(", ".join(refused.mapped("name")), reason))

    def _credit_hold_first_document(self):
        """R14: a partner whose first document this is (not a customer yet,
        e.g. created from Contacts) becomes a customer now, and so gets the
        new-customer hold where the company asks for it."""
        roots = self.company_id.root_id.filtered(lambda c: c.credit_hold_new_customers)
        if not roots:
            return
        docs = self.filtered(lambda d: d.company_id._credit_hold_root() in roots)
        partners = self.env["res.partner"].browse({d._credit_hold_partner().id for d in docs}).sudo()
        partners.filtered(lambda p: not p.customer_rank)._increase_rank("customer_rank")

    def _credit_hold_mark_held(self, reasons):
        newly_held = self.filtered(lambda doc: doc.credit_status != "held")
        self._credit_hold_write_held(reasons)
        newly_held._credit_hold_notify_customer()

    def _credit_hold_write_held(self, reasons):
        now = fields.Datetime.now()
        for doc in self:
            entries = reasons[doc.id]
            codes = codes_to_text(entry["code"] for entry in entries)
            if doc.credit_status == "held" and doc.credit_held_reason_codes == codes:
                # already held for the same reasons: the figures are brought up
                # to date, nothing new to say
                if doc.credit_held_reasons != entries:
                    doc.sudo().write({"credit_held_reasons": entries})
                continue
            was_held = doc.credit_status == "held"
            doc.sudo().write(
                {
                    "credit_status": "held",
                    "credit_held_reason_codes": codes,
                    "credit_held_reasons": entries,
                    "credit_held_date": doc.credit_held_date if was_held else now,
                    **RELEASE_CLEARED,
                    # a new hold: the times of the previous one are forgotten
                    **(TIME_CLEARED if not was_held else {}),
                }
            )
            body = self.env._("Credit hold: %(reason)s", reason=doc.credit_held_reason)
            context = self.env.context
            if was_held or context.get("tracking_disable") or context.get("mail_notrack"):
                doc.sudo()._message_log(body=body)
            else:
                # one chatter message: the reason is the body of the message
                # Odoo's tracking posts for the new status
                doc.sudo()._track_set_log_message(body)
            doc._credit_hold_schedule_activity(doc.credit_held_reason, new=not was_held)

    def _credit_hold_schedule_activity(self, note, new=False):
        """The credit controller's activity on this held document (its note
        updated if there is one already). The controller sees it in Odoo's
        activity menu and the held list: no e-mail a document.

        :param bool new: the document was not held until now (it has no
            open credit-hold activity: its last one was closed when that
            hold ended)
        """
        self.ensure_one()
        user = self._credit_hold_partner()._credit_hold_controller_user(self.company_id)
        if not user:
            return
        if not new:
            existing = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE))
            if existing:
                existing.write({"note": note})
                return
        doc = self.sudo().with_context(mail_activity_quick_update=True)
        if self.env.user.share:
            # a portal or public user (e-commerce, signature) is no sender for the
            # controller's notification: the system schedules it
            doc = doc.with_user(SUPERUSER_ID)
        doc.activity_schedule(
            ACTIVITY_TYPE,
            user_id=user.id,
            summary=self.env._("Credit hold: review %(doc)s", doc=self.display_name),
            note=note,
        )

    def _credit_hold_close_activities(self, feedback):
        self.sudo().activity_feedback([ACTIVITY_TYPE], feedback=feedback)

    def _credit_hold_notification(self, held, passed=None):
        """A client notification that says what was held and why."""
        # one sentence a document: the client shows the message on one line
        lines = [
            self.env._("%(doc)s: %(reason)s.", doc=doc.display_name, reason=doc.credit_held_reason) for doc in held
        ]
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

    def _credit_hold_after_check(self, results):
        """These documents passed the check and went through: store what the
        check found of their customers (a stale hold is corrected) without
        gathering the figures again. Documents that passed on an exemption
        (released, paid online) were not checked: their customers are
        evaluated."""
        checked_ids = defaultdict(set)
        for root, customers in results.items():
            partners = self.env["res.partner"].browse(customers).with_company(root).sudo()
            partners._credit_hold_store(root, customers, "event")
            checked_ids[root] |= set(customers)
        unchecked = defaultdict(set)
        for doc in self:
            root = doc.company_id._credit_hold_root()
            partner_id = doc._credit_hold_partner().id
            if partner_id not in checked_ids[root]:
                unchecked[root].add(partner_id)
        for root, partner_ids in unchecked.items():
            self.env["res.partner"].browse(partner_ids)._credit_hold_evaluate(root)

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
        notes = self._credit_hold_check_authority()
        now = fields.Datetime.now()
        results = self._credit_hold_customer_results()
        for doc in self:
            root = doc.company_id._credit_hold_root()
            partner = doc._credit_hold_partner()
            figures, decision = results[root][partner.id]
            currency = root.currency_id
            held_for = doc.credit_held_reason
            doc._credit_hold_end(
                "released",
                {
                    "credit_status": "released",
                    "credit_released_uid": self.env.user.id,
                    "credit_released_date": now,
                    "credit_release_reason": reason,
                    "credit_released_amount": doc._credit_hold_amount(),
                    "credit_released_partner_id": partner.id,
                },
            )
            doc.sudo()._message_log(
                body=self.env._(
                    "Credit hold released by %(user)s: %(reason)s. Before this release: exposure %(exposure)s, "
                    "balance %(balance)s, overdue %(overdue)s, effective limit %(limit)s. Held for: %(held)s.",
                    user=self.env.user.name,
                    reason=reason.rstrip(". "),
                    exposure=format_amount(self.env, decision.exposure, currency),
                    balance=format_amount(self.env, figures.total_balance, currency),
                    overdue=format_amount(self.env, decision.overdue_amount, currency),
                    limit=format_amount(self.env, decision.effective_limit, currency)
                    if decision.effective_limit is not None
                    else self.env._("none"),
                    held=held_for,
                ),
            )
            if doc.id in notes:
                doc.sudo()._message_log(body=notes[doc.id])
            doc._credit_hold_close_activities(self.env._("Released: %(reason)s", reason=reason))
        self._credit_hold_carry_through()
        # what went through changes the customers' balance or exposure
        for root, customers in results.items():
            self.env["res.partner"].browse(customers)._credit_hold_evaluate(root, auto_release=False)
        return self

    def _credit_hold_release_applies(self):
        """Whether a controller's release covers the document as it is now:
        the same customer, and no more than the amount released."""
        self.ensure_one()
        return (
            self.credit_status == "released"
            and self.credit_released_partner_id == self._credit_hold_partner()
            and self.company_id.currency_id.compare_amounts(self._credit_hold_amount(), self.credit_released_amount)
            <= 0
        )

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
        self._credit_hold_mark_held({doc.id: [{"code": REASON_MANUAL, "figures": {}}] for doc in self})
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
            doc._credit_hold_end("cancelled", HOLD_FORGOTTEN)
            doc.sudo()._message_log(body=self.env._("Credit check cancelled by %(user)s.", user=self.env.user.name))
            doc._credit_hold_close_activities(self.env._("Credit check cancelled"))
        return True

    def _credit_hold_end(self, outcome, values):
        """The one place a hold ends: write ``values`` on these documents
        (as the credit actions do, as superuser) and, on those that were
        held, when the hold started and ended and how (``outcome``: one of
        :data:`OUTCOMES`), for the held-documents analysis."""
        held = self.filtered(lambda doc: doc.credit_status == "held")
        by_start = defaultdict(list)
        for doc in held:
            by_start[doc.credit_held_date].append(doc.id)
        # a copy each time: some write overrides add keys to the dict they get
        (self - held).sudo().write(dict(values))
        now = fields.Datetime.now()
        for started, ids in by_start.items():
            self.browse(ids).sudo().write(
                {
                    **values,
                    "credit_hold_started_date": started,
                    "credit_hold_ended_date": now,
                    "credit_hold_outcome": outcome,
                }
            )

    def _credit_hold_forget(self, feedback):
        """A document that is cancelled or reset to draft leaves the held list,
        and a release given for it does not carry over to what it becomes."""
        docs = self.filtered(lambda d: d.credit_status != "none")
        if docs:
            held = docs.filtered(lambda d: d.credit_status == "held")
            docs._credit_hold_end("cancelled", HOLD_FORGOTTEN)
            held._credit_hold_close_activities(feedback)

    def _credit_hold_went_through(self):
        """Held documents that passed a later check and went through (confirmed
        or posted by a user once their customer was clear, without waiting for
        the automatic release) leave the held list."""
        docs = self.filtered(lambda d: d.credit_status == "held")
        if not docs:
            return
        docs._credit_hold_end(
            "carried", {"credit_status": "none", "credit_held_reason_codes": False, "credit_held_reasons": False}
        )
        for doc in docs:
            doc.sudo()._message_log(body=self.env._("The credit check passed: the hold is over."))
        docs._credit_hold_close_activities(self.env._("Credit check passed"))

    @api.model
    def _credit_hold_bulk(self, documents, method, done_label, *args, detail=None):
        """Run ``method`` on each document on its own (a savepoint each), so that
        one that cannot be processed does not stop the others, and return one
        summary notification. Access errors are not caught: they stop all.

        :param detail: ``detail(document, result)``, words added after the
            document's name in the summary (e.g. who an escalation went to)
        """
        done, failed = [], []
        for document in documents:
            try:
                with self.env.cr.savepoint():
                    result = getattr(document, method)(*args)
                done.append(
                    f"{document.display_name} ({detail(document, result)})" if detail else document.display_name
                )
            except AccessError:
                raise
            except (UserError, ValidationError) as error:
                message = str(error.args[0] if error.args else error)
                # the document's name once: most messages begin with it
                failed.append(
                    message if message.startswith(document.display_name) else f"{document.display_name}: {message}"
                )
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

    def _credit_hold_defer_carry_through(self, cause):
        """These held documents' customer is clear, but the acting user may
        not confirm or post them: the credit-hold job is triggered now and
        carries them through as its user (a note says what lifted the hold)."""
        if not self:
            return
        body = self.env._(
            "The customer's credit hold lifted (%(cause)s), but %(user)s may not confirm or post this "
            "document: the credit-hold job carries it through within a minute.",
            cause=cause or self.env._("a change by %(user)s", user=self.env.user.name),
            user=self.env.user.name,
        )
        for doc in self:
            doc.sudo()._message_log(body=body)
        self.env.ref(CARRY_THROUGH_CRON).sudo()._trigger()

    def _credit_hold_retry(self, cause=None):
        """R12: re-check held documents after their customer's hold lifted;
        those that now pass are carried through, each in its own savepoint:
        one that Odoo refuses to confirm or post stays held with Odoo's error
        in its chatter, and nothing else is affected.

        :param str cause: what lifted the hold, in words (for the notes)
        """
        held = self.filtered(lambda d: d.credit_status == "held")
        docs = held._credit_hold_carriable()
        # what the acting user may not confirm or post is carried through by
        # the credit-hold job, as its user, within a minute
        (held - docs)._credit_hold_defer_carry_through(cause)
        if not docs:
            return self.browse()
        results = docs._credit_hold_customer_results(lock=True)
        reasons = docs._credit_hold_get_hold_reasons(results)
        still_held = docs.filtered(lambda d: reasons.get(d.id))
        still_held._credit_hold_mark_held(reasons)
        carried = self.browse()
        for doc in docs - still_held:
            try:
                with self.env.cr.savepoint():
                    doc._credit_hold_end("carried", {"credit_status": "none"})
                    doc._credit_hold_carry_through()
            except (UserError, ValidationError) as error:
                message = error.args[0] if error.args else str(error)
                doc.sudo()._message_log(
                    body=self.env._(
                        "The customer's credit hold lifted, but the document could not be carried through: "
                        "%(error)s. It stays held for a credit controller.",
                        error=message,
                    )
                )
                doc._credit_hold_schedule_activity(message)
                continue
            carried |= doc
        if carried:
            carried.sudo().write({"credit_held_reason_codes": False, "credit_held_reasons": False})
            body = (
                self.env._("The customer's credit hold lifted (%(cause)s): carried through automatically.", cause=cause)
                if cause
                else self.env._("The customer's credit hold lifted: carried through automatically.")
            )
            for doc in carried:
                doc.sudo()._message_log(body=body)
            carried._credit_hold_close_activities(self.env._("Hold lifted"))
        return carried

    # ------------------------------------------------------------------
    # Release authority (R11): figures, release within authority, escalation
    # ------------------------------------------------------------------

    def _credit_hold_authority_amount(self):
        """What the document adds to the customer's exposure when it goes
        through and is not counted in it yet: an order not confirmed adds its
        amount; a document the exposure already counts adds nothing."""
        return self._credit_hold_document_amount() or 0.0

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
        controllers = group_users(self.env, CONTROLLER_GROUP)

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

    # ------------------------------------------------------------------
    # The customer's side: the e-mail of a held document
    # ------------------------------------------------------------------

    def _credit_hold_customer_template(self):
        """The e-mail template that tells the customer this document is held
        (to implement by documents the customer can act on in the portal);
        None: the customer is not told."""
        return None

    def _credit_hold_notify_customer(self):
        """E-mail the customer of each document that was just held, where the
        company asks for it: once per hold (a document held again for other
        reasons is not e-mailed again), never for holds a person decided
        alone (:data:`SILENT_REASONS`)."""
        for doc in self:
            root = doc.company_id._credit_hold_root()
            if doc.credit_status != "held" or not root.sudo().credit_hold_notify_customer:
                continue
            if not set(text_to_codes(doc.credit_held_reason_codes)) - SILENT_REASONS:
                continue
            template = doc._credit_hold_customer_template()
            if not template or not doc.partner_id.email:
                continue
            template.sudo().send_mail(doc.id, email_layout_xmlid=CUSTOMER_MAIL_LAYOUT)
            doc.sudo()._message_log(
                body=self.env._(
                    "The customer was told about the credit hold by e-mail (%(email)s).", email=doc.partner_id.email
                )
            )
