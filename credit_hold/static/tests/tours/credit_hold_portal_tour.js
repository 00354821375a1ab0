/** @odoo-module **/
// Copyright 2026 credit_hold contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// The customer on hold pays its overdue invoices from the portal home with
// Odoo's demo payment provider (data from tests/test_portal.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("credit_hold_portal_pay_overdue", {
    url: "/my",
    steps: () => [
        {
            content: "the credit hold block says why",
            trigger: ".o_credit_hold_portal_status:contains(past their due date)",
        },
        {
            content: "pay the overdue invoices together",
            trigger: ".o_credit_hold_portal_status a.o_credit_hold_pay_overdue",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "test payment details of the demo provider",
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back on the invoices once the payment is processed",
            trigger: ".o_portal_my_doc_table",
        },
    ],
});
