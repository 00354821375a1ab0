# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Credit Hold Deliveries",
    "summary": "Hold the deliveries of customers on credit hold until a credit controller releases them",
    "version": "1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/credit-hold/credit_hold",
    "author": "credit_hold contributors",
    "license": "LGPL-3",
    "depends": ["credit_hold", "sale_stock"],
    "auto_install": True,
    "data": [
        "views/res_config_settings_views.xml",
        "views/stock_picking_views.xml",
        "views/credit_hold_document_views.xml",
    ],
    "demo": [
        "demo/credit_hold_stock_demo.xml",
    ],
}
