# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What 19.0.1.7.0 (cancelling from the portal) gives existing databases.

- High- and exclusive-touch models, of every company, have the success
  manager call before a cancellation goes through (the shipped models are
  ``noupdate``: the data file does not reach them).
- Companies other than the main one get their copy of the shipped retention
  offers, as new companies do.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["cs.touch.model"].with_context(active_test=False).search(
        [("level", "in", ("high", "exclusive"))]
    ).cs_retention_csm_first = True
    env["res.company"].search([])._cs_setup_retention_offers()
