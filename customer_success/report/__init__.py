# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import cs_portfolio_report
from . import cs_health_validation
from . import cs_health_factor_report
from . import cs_play_report
