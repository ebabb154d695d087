# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import models


def post_init_hook(env):
    """The success managers follow the open tickets their customers opened
    before the addon was installed."""
    tickets = env["helpdesk.ticket"].search([("closed", "=", False)])
    tickets._cs_subscribe_success_managers()
