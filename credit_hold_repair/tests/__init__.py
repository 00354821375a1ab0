# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_repair_hold
