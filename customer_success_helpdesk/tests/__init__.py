# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_support_factor
from . import test_support_follow
from . import test_support_ui
