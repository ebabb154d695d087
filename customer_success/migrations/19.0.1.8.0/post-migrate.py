# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What 19.0.1.8.0 (the billing plays) gives existing databases.

- The communication-problem and receipt-check calls become the play *A
  billing e-mail bounced or the invoice was never received*, and the call
  after the final notice the play *Dunning reached its final step* (calls
  to action, on automation rules, created by the data files). The calls
  already scheduled on invoices stay there, with their users and due dates.
- The shipped final step (``noupdate``: the data file does not reach it)
  stops scheduling its own call when it is still as shipped, so that the
  customer is not called twice; a step a company changed is kept.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

SHIPPED_SUMMARY = "Call the customer about the final notice"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    step = env.ref("customer_success.cs_dunning_step_final", raise_if_not_found=False)
    call = env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
    if (
        step
        and step.action == "both"
        and step.activity_type_id == call
        and step.with_context(lang="en_US").activity_summary == SHIPPED_SUMMARY
    ):
        step.write(
            {
                "action": "email",
                "activity_type_id": False,
                "activity_summary": False,
                "escalate_to_csm": False,
            }
        )
        _logger.info("The shipped final notice leaves its call to the play")
    if call:
        kept = env["mail.activity"].search_count(
            [("res_model", "=", "account.move"), ("activity_type_id", "=", call.id)]
        )
        _logger.info("%s calls on invoices kept", kept)
