# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools.misc import format_amount

from ..decision import (
    BASIS_DOCUMENT,
    BASIS_EXPOSURE,
    REASON_BLOCKED,
    REASON_ENFORCED,
    REASON_NEW_CUSTOMER,
    REASON_OVER_LIMIT,
    REASON_OVERDUE,
    text_to_codes,
)

#: A controller put a released document back on hold (documents only).
REASON_MANUAL = "manual"
# What the customer is told: the reasons a customer can act on are said as
# they are; every other reason (a controller's hold, a blocking warning, a
# reason of another module) only as "held by the credit department", so that
# no internal note reaches the customer.
CUSTOMER_REASONS = (REASON_OVERDUE, REASON_OVER_LIMIT, REASON_NEW_CUSTOMER)


class CreditHoldReason(models.AbstractModel):
    """Reason codes in words: the one place where they are written.

    Customers and documents store language-independent codes (and documents
    the figures behind them, see ``Decision.reason_entries``); the words are
    rendered here, in the reader's language, each time they are shown.
    Modules that add reasons extend :meth:`_get_labels`.
    """

    _name = "credit.hold.reason"
    _description = "Credit Hold Reasons"

    @api.model
    def _get_labels(self):
        """{code: short label}, in the language of the environment."""
        return {
            REASON_ENFORCED: self.env._("Put on hold by a credit controller"),
            REASON_BLOCKED: self.env._("Blocked by the customer's warning"),
            REASON_NEW_CUSTOMER: self.env._("New customer: awaiting first payment"),
            REASON_OVER_LIMIT: self.env._("Over credit limit"),
            REASON_OVERDUE: self.env._("Overdue invoices"),
            REASON_MANUAL: self.env._("Put back on hold by a credit controller"),
        }

    @api.model
    def _get_selection(self):
        """The known codes as selection values (filters, group-by labels)."""
        return list(self._get_labels().items())

    @api.model
    def _render_codes(self, codes):
        """Stored codes (a comma-separated text or a sequence) in words."""
        if not isinstance(codes, list | tuple):
            codes = text_to_codes(codes)
        labels = self._get_labels()
        return "; ".join(labels.get(code, code) for code in codes) or False

    @api.model
    def _render_entries(self, entries, currency):
        """Reasons stored on a document (``[{"code", "figures", "label"}]``)
        in words with their figures, amounts in ``currency``."""
        labels = self._get_labels()
        words = []
        for entry in entries or []:
            code, figures = entry.get("code"), entry.get("figures") or {}
            if entry.get("legacy"):
                # kept in the words of the release that held the document
                words.append(entry.get("label") or code)
            elif code == REASON_OVER_LIMIT and figures.get("limit") is not None:
                basis = {
                    BASIS_DOCUMENT: self.env._("exposure with this document"),
                    BASIS_EXPOSURE: self.env._("exposure"),
                }.get(figures.get("basis"), self.env._("balance"))
                words.append(
                    self.env._(
                        "Over credit limit: %(basis)s %(amount)s >= limit %(limit)s",
                        basis=basis,
                        amount=format_amount(self.env, figures.get("amount") or 0.0, currency),
                        limit=format_amount(self.env, figures["limit"], currency),
                    )
                )
            elif code == REASON_OVERDUE and figures.get("count") is not None:
                words.append(
                    self.env._(
                        "%(count)s overdue invoice(s), %(amount)s overdue",
                        count=figures["count"],
                        amount=format_amount(self.env, figures.get("amount") or 0.0, currency),
                    )
                )
            elif code == REASON_BLOCKED and figures.get("message"):
                words.append(self.env._("Blocked by the customer's warning: %(message)s", message=figures["message"]))
            elif code in labels:
                words.append(labels[code])
            else:
                # a reason of another module (or of an older release) with its own words
                words.append(entry.get("label") or code)
        return "; ".join(words) or False

    # ------------------------------------------------------------------
    # The customer's words (portal, e-mail)
    # ------------------------------------------------------------------

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
