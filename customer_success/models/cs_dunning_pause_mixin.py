# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.fields import Domain

# what pausing the dunning writes, and nothing else
DUNNING_PAUSE_FIELDS = ("dunning_paused", "dunning_pause_reason", "dunning_pause_until")


class CsDunningPauseMixin(models.AbstractModel):
    """A pause of the billing conversation, on an invoice or on a customer.

    While paused (until a day, or until someone resumes it), the records get
    no dunning step; the daily run resumes the pauses that ended.
    """

    _name = "cs.dunning.pause.mixin"
    _description = "Dunning Pause"
    # the pause is tracked in the chatter of the invoice or of the customer
    _inherit = ["mail.thread"]

    dunning_paused = fields.Boolean(copy=False, tracking=True)
    dunning_pause_reason = fields.Char(string="Pause Reason", copy=False, tracking=True)
    dunning_pause_until = fields.Date(string="Paused Until", copy=False, tracking=True)

    def action_cs_pause_dunning(self):
        """Open the wizard that pauses the dunning of these records."""
        return self.env["cs.dunning.pause.wizard"]._action_open(
            self._cs_get_dunning_pause_records()
        )

    def action_cs_resume_dunning(self):
        self._cs_write_dunning_pause(dict.fromkeys(DUNNING_PAUSE_FIELDS, False))

    def _cs_get_dunning_pause_records(self):
        """The records that carry the pause of ``self``: themselves."""
        return self

    def _cs_write_dunning_pause(self, values):
        """Write the dunning pause ``values`` (the pause fields only)."""
        self._cs_get_dunning_pause_records().write(
            {key: values[key] for key in DUNNING_PAUSE_FIELDS if key in values}
        )

    def _cs_dunning_is_paused(self, today):
        """Whether the dunning of this record is paused on ``today``."""
        self.ensure_one()
        record = self._cs_get_dunning_pause_records()
        return record.dunning_paused and (
            not record.dunning_pause_until or record.dunning_pause_until >= today
        )

    @api.model
    def _cs_get_dunning_not_paused_domain(self, today, path=""):
        """The records not paused on ``today``; ``path`` (``"field."``) leads
        from the searched model to the records that carry the pause."""
        return Domain(f"{path}dunning_paused", "=", False) | Domain(
            f"{path}dunning_pause_until", "<", today
        )

    @api.model
    def _cs_resume_ended_pauses(self, today):
        """Resume the pauses that ended before ``today``."""
        self.search(
            [("dunning_paused", "=", True), ("dunning_pause_until", "<", today)]
        ).action_cs_resume_dunning()
