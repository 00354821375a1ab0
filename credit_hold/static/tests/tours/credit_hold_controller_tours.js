/** @odoo-module **/
// Copyright 2026 credit_hold contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// A credit controller's day, in the browser (data from tests/test_controller_day.py).

import { registry } from "@web/core/registry";

const { DateTime } = luxon;

registry.category("web_tour.tours").add("credit_hold_held_list_opens_document", {
    steps: () => [
        {
            content: "a click on the held row opens the order itself",
            trigger: ".o_data_row:contains(Tour Customer) td[name='partner_id']",
            run: "click",
        },
        {
            content: "the sales order form, with its lines",
            trigger: ".o_form_view .o_field_widget[name='order_line']",
        },
    ],
});

registry.category("web_tour.tours").add("credit_hold_temp_limit_on_hold", {
    steps: () => [
        {
            content: "the customer is on hold: the red banner says why",
            trigger: ".alert-danger[name='credit_hold_alert']:contains(Over credit limit)",
        },
        {
            content: "open the Credit tab",
            trigger: ".o_notebook a.nav-link[name='credit_hold']",
            run: "click",
        },
        {
            content: "grant a temporary limit",
            trigger: "button[name='action_credit_temp_limit']",
            run: "click",
        },
        {
            content: "the amount",
            trigger: ".modal .o_field_widget[name='amount'] input",
            run: "edit 5000",
        },
        {
            content: "until in ten days",
            trigger: ".modal .o_field_widget[name='end_date'] input",
            run: `edit ${DateTime.now().plus({ days: 10 }).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Seasonal order agreed with the CFO",
        },
        {
            content: "grant it",
            trigger: ".modal button[name='action_grant']",
            run: "click",
        },
        {
            content: "the running temporary limit is on the Credit tab",
            trigger: ".o_field_widget[name='credit_temp_limit_reason']:contains(Seasonal order)",
        },
        {
            content: "end it early",
            trigger: "button[name='action_credit_temp_limit_end']",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "back on hold: the banner again",
            trigger: ".alert-danger[name='credit_hold_alert']:contains(Over credit limit)",
        },
    ],
});

registry.category("web_tour.tours").add("credit_hold_escalate_to_manager", {
    steps: () => [
        {
            content: "escalate the held quotation",
            trigger: ".o_form_view button[name='action_credit_escalate']",
            run: "click",
        },
        {
            content: "the wizard lists the document",
            trigger: ".modal .o_field_widget[name='document_names']:contains(Over credit limit)",
        },
        {
            content: "a note for whoever takes it",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Beyond my limit, please decide",
        },
        {
            content: "escalate",
            trigger: ".modal button[name='action_escalate']",
            run: "click",
        },
        {
            content: "the notification says who received it",
            trigger: ".o_notification:contains(to Tour Manager)",
        },
    ],
});
