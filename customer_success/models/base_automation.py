# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import models


class BaseAutomation(models.Model):
    """An automation rule runs its server actions once per record; a play
    (*Open a Call to Action*) runs once on all the records of the rule's
    batch instead (a field written on a batch of customers by the daily
    health run, the records of a time-based rule), so that opening and
    updating its calls to action costs the same queries for 5 records or
    5,000."""

    _inherit = "base.automation"

    def _process(self, records, domain_post=None):
        # the play actions of this run note their records here, in place
        # (as base_automation's own __action_done), and run them after
        if "cs_cta_collect" in self.env.context:
            return super()._process(records, domain_post=domain_post)
        collected = defaultdict(list)
        result = super(
            BaseAutomation, self.with_context(cs_cta_collect=collected)
        )._process(
            records.with_context(cs_cta_collect=collected), domain_post=domain_post
        )
        for action, ids in collected.items():
            action._cs_run_play(self.env[action.model_id.model].browse(ids))
        return result
