# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What 19.0.1.7.0 (cancelling from the portal) gives existing databases.

- High- and exclusive-touch models, of every company, have the success
  manager call before a cancellation goes through (the shipped models are
  ``noupdate``: the data file does not reach them).
- Companies other than the main one get their copy of the shipped retention
  offers, as new companies do.
- The follow-ups of a customer turning red and of a detractor answer become
  the plays *Health turns red* and *Detractor answer* (calls to action, on
  automation rules). Existing Health Alert / NPS Follow-up activities stay on
  the customers, with their users and due dates, and the health alerts
  already raised stay as they are: nothing is deleted or moved. Their
  activity types now belong to calls to action, which only changes where new
  ones can be scheduled.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["cs.touch.model"].with_context(active_test=False).search(
        [("level", "in", ("high", "exclusive"))]
    ).cs_retention_csm_first = True
    env["res.company"].search([])._cs_setup_retention_offers()
    _keep_followup_activities(env)


def _keep_followup_activities(env):
    """The Health Alert and NPS Follow-up activities already scheduled on
    customers stay there: their type now belongs to calls to action, and the
    customer keeps them (they are read and done as before)."""
    types = [
        env.ref(xmlid, raise_if_not_found=False)
        for xmlid in (
            "customer_success.mail_activity_type_cs_health",
            "customer_success.mail_activity_type_cs_detractor",
        )
    ]
    kept = env["mail.activity"].search_count(
        [("activity_type_id", "in", [t.id for t in types if t])]
    )
    _logger.info("%s health alert and detractor follow-up activities kept", kept)
