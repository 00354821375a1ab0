# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools.misc import format_amount

from ..decision import BASIS_DOCUMENT, REASON_NEW_CUSTOMER, REASON_OVER_LIMIT, REASON_OVERDUE

# What the customer is told: the reasons a customer can act on are said as
# they are; every other reason (a controller's hold, a blocking warning, a
# reason of another module) only as "held by the credit department", so that
# no internal note reaches the customer.
CUSTOMER_REASONS = (REASON_OVERDUE, REASON_OVER_LIMIT, REASON_NEW_CUSTOMER)


class CreditHoldReason(models.AbstractModel):
    _inherit = "credit.hold.reason"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _render_customer_words(self, entries, currency, visibility):
        """The reasons of ``entries`` (``[{"code", "figures"}]``) in the
        customer's words, one sentence each, in the language of the
        environment. ``visibility`` is the company's portal setting: with
        ``reason`` no amount is given, with ``figures`` the overdue amount and
        how far over the credit limit; ``off`` says nothing."""
        if visibility == "off":
            return []
        figures_shown = visibility == "figures"
        words = []
        for entry in entries or []:
            code, figures = entry.get("code"), entry.get("figures") or {}
            if code == REASON_OVERDUE:
                if figures_shown and figures.get("count") is not None:
                    words.append(
                        self.env._(
                            "Invoices past their due date: %(count)s, for %(amount)s overdue.",
                            count=figures["count"],
                            amount=format_amount(self.env, figures.get("amount") or 0.0, currency),
                        )
                    )
                else:
                    words.append(self.env._("Some of your invoices are past their due date."))
            elif code == REASON_OVER_LIMIT:
                document = figures.get("basis") == BASIS_DOCUMENT
                if figures_shown and figures.get("limit") is not None:
                    over = max((figures.get("amount") or 0.0) - figures["limit"], 0.0)
                    words.append(
                        self.env._(
                            "With this order your account would be over its credit limit by %(amount)s.",
                            amount=format_amount(self.env, over, currency),
                        )
                        if document
                        else self.env._(
                            "Your account is over its credit limit by %(amount)s.",
                            amount=format_amount(self.env, over, currency),
                        )
                    )
                else:
                    words.append(
                        self.env._("With this order your account would be over its credit limit.")
                        if document
                        else self.env._("Your account is over its credit limit.")
                    )
            elif code == REASON_NEW_CUSTOMER:
                words.append(self.env._("As a new customer, your first payment is awaited."))
            else:
                words.append(self.env._("Your account is being reviewed by our credit department."))
        # the same sentence once (several internal reasons say the same thing)
        return list(dict.fromkeys(words))
