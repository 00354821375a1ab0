# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..decision import REASON_BLOCKED, REASON_ENFORCED, text_to_codes
from .credit_hold_reason import REASON_MANUAL

# Holds a person decided (a controller's hold, a released document put back on
# hold, a blocking warning): the customer is not e-mailed for them alone.
SILENT_REASONS = {REASON_ENFORCED, REASON_MANUAL, REASON_BLOCKED}
LAYOUT = "mail.mail_notification_light"


class CreditHoldMixin(models.AbstractModel):
    _inherit = "credit.hold.mixin"  # pylint: disable=consider-merging-classes-inherited

    def _credit_hold_customer_template(self):
        """The e-mail template that tells the customer this document is held
        (to implement by documents the customer can act on in the portal);
        None: the customer is not told."""
        return None

    def _credit_hold_mark_held(self, reasons):
        newly_held = self.filtered(lambda doc: doc.credit_status != "held")
        result = super()._credit_hold_mark_held(reasons)
        newly_held._credit_hold_notify_customer()
        return result

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
            template.sudo().send_mail(doc.id, email_layout_xmlid=LAYOUT)
            doc.sudo()._message_log(
                body=self.env._(
                    "The customer was told about the credit hold by e-mail (%(email)s).", email=doc.partner_id.email
                )
            )
