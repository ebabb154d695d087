# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import cs_health_factor
from . import cs_health_factor_report
from . import cs_health_snapshot
from . import cs_health_validation
from . import helpdesk_ticket
from . import res_company
from . import res_config_settings
from . import res_partner
