# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Credit Hold: test spy",
    "summary": "Test helper: a module loaded after credit_hold that overrides confirmation and posting "
    "and records what reaches its code",
    "version": "1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/credit-hold/credit_hold",
    "author": "credit_hold contributors",
    "license": "LGPL-3",
    "depends": ["credit_hold", "sale_management", "sale_loyalty", "event_sale"],
}
