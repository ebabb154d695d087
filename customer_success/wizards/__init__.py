# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import cs_dunning_pause_wizard
from . import cs_handoff_wizard
from . import cs_dunning_send_wizard
from . import cs_late_charge_waive_wizard
from . import cs_holiday_wizard
from . import cs_retention_offer_wizard
from . import cs_renewal_forecast_wizard
