# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Credit Hold",
    "summary": "Put customers on hold when over their credit limit or overdue, "
    "and stop their orders and invoices with a clear reason",
    "version": "3.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-hold/credit_hold",
    "author": "credit_hold contributors",
    "license": "LGPL-3",
    "depends": ["sale", "account"],
    "data": [
        "security/credit_hold_groups.xml",
        "security/ir.model.access.csv",
        "security/credit_hold_security.xml",
        "data/ir_default_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_portal.xml",
        "wizards/credit_hold_release_views.xml",
        "wizards/credit_hold_escalate_views.xml",
        "wizards/credit_hold_temp_limit_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/credit_hold_document_views.xml",
        "views/credit_hold_history_views.xml",
        "views/credit_hold_authority_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/res_partner_temp_limit_views.xml",
        "views/credit_limit_history_views.xml",
        "views/credit_hold_report_views.xml",
        "views/credit_hold_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "credit_hold/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/credit_hold_demo.xml",
        "demo/credit_hold_authority_demo.xml",
        "demo/credit_hold_portal_demo.xml",
        "demo/credit_hold_temp_limit_demo.xml",
    ],
}
