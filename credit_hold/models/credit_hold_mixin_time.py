# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""When a document's hold ended and how, for the time on hold of the
held-documents analysis."""

from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError

from .res_partner import CONTROLLER_GROUP

#: Kept when a hold ends (written only by the write below).
TIME_FIELDS = ("credit_hold_started_date", "credit_hold_ended_date", "credit_hold_outcome")
TIME_CLEARED = dict.fromkeys(TIME_FIELDS, False)
#: How a hold ended.
OUTCOMES = [("released", "Released"), ("carried", "Carried through"), ("cancelled", "Cancelled")]


class CreditHoldMixin(models.AbstractModel):
    _inherit = "credit.hold.mixin"  # pylint: disable=consider-merging-classes-inherited

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

    def write(self, vals):
        if set(TIME_FIELDS) & vals.keys() and not (self.env.su or self.env.user.has_group(CONTROLLER_GROUP)):
            raise AccessError(self.env._("Only a Credit Controller can change the credit status of a document."))
        status = vals.get("credit_status")
        if status is None or set(TIME_FIELDS) & vals.keys():
            return super().write(vals)
        if status == "held":
            # a new hold: the times of the previous one are forgotten
            return super().write({**vals, **TIME_CLEARED})
        # the documents whose hold ends with this write, by when it started
        ending = defaultdict(list)
        for doc in self:
            if doc.credit_status == "held":
                ending[doc.credit_held_date].append(doc.id)
        res = super().write(vals)
        if ending:
            if status == "released":
                outcome = "released"
            elif "credit_held_date" in vals:  # the hold is forgotten: credit check or document cancelled
                outcome = "cancelled"
            else:
                outcome = "carried"
            now = fields.Datetime.now()
            for started, ids in ending.items():
                super(CreditHoldMixin, self.browse(ids).sudo()).write(
                    {"credit_hold_started_date": started, "credit_hold_ended_date": now, "credit_hold_outcome": outcome}
                )
        return res
