# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import main
from . import portal
from . import portal_invoice
from . import portal_retention
