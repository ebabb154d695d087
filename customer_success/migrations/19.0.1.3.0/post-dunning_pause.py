# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A paused invoice, or an invoice of a paused customer, has no next dunning
date: recompute it on the invoices paused before the upgrade.

The pause of an invoice is ``dunning_paused`` since 19.0.1.4.0, whose
pre-migration renamed it before this script runs."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Move = env["account.move"]
    moves = Move.search(
        [
            ("cs_next_dunning_date", "!=", False),
            "|",
            ("dunning_paused", "=", True),
            ("commercial_partner_id.dunning_paused", "=", True),
        ]
    )
    env.add_to_compute(Move._fields["cs_next_dunning_date"], moves)
    env.add_to_compute(Move._fields["cs_next_dunning_step_id"], moves)
    env.flush_all()
