# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cs_cta_ids = fields.One2many(
        "cs.cta",
        "partner_id",
        string="Calls to Action",
        groups="customer_success.customer_success_group_user",
    )
    cs_cta_count = fields.Integer(
        string="Open Calls to Action",
        compute="_compute_cs_cta_count",
        groups="customer_success.customer_success_group_user",
    )

    def _compute_cs_cta_count(self):
        counts = dict(
            self.env["cs.cta"]._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "in", ("open", "in_progress", "snoozed")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.cs_cta_count = counts.get(partner, 0)

    def _cs_get_cta_note(self):
        """For the play *No touch for twice the cadence* (``cs_play_id`` in
        the context), the customer's last touch and cadence; else as before
        (its health)."""
        play_id = self.env.context.get("cs_play_id")
        # the xmlid's id is cached; env.ref() would query (exists()) each time
        no_touch = self.env["ir.model.data"]._xmlid_to_res_id(
            "customer_success.cs_play_no_touch", raise_if_not_found=False
        )
        if play_id and play_id == no_touch:
            return self._cs_get_no_touch_note()
        return super()._cs_get_cta_note()
