# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import account_move
from . import res_company
from . import res_partner_bank
