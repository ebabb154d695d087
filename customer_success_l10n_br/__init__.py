# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import models


def post_init_hook(env):
    """The Brazilian demo company, when the addon is installed with demo
    data. Not from a demo file: while its own files load, Odoo renders
    no template of the addon (the Pix block of the reminders) and has not
    loaded its translations yet; both are there once it is installed."""
    module = env["ir.module.module"].search(
        [("name", "=", "customer_success_l10n_br")], limit=1
    )
    if module.demo:
        env["res.company"]._cs_load_br_demo()
