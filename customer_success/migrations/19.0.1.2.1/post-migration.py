# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Empty the health score of customers and snapshots without a band: they
were scored without data on any factor, and their 0 counted in the
averages as a very bad score."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            "UPDATE res_partner SET health_score = NULL"
            " WHERE health_band IS NULL AND health_score IS NOT NULL"
        )
    )
    cr.execute(
        SQL(
            "UPDATE cs_health_snapshot SET score = NULL"
            " WHERE band IS NULL AND score IS NOT NULL"
        )
    )
