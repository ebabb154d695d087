# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import cs_team
from . import cs_dunning_policy
from . import cs_dunning_step
from . import cs_dunning_log
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import mail_notification
from . import sale_subscription
