# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class IrActionsServer(models.Model):
    """*Open a Call to Action*: the action of an automation rule that runs a
    play on the records that fired it."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("cs_cta", "Open a Call to Action")],
        ondelete={"cs_cta": "cascade"},
    )
    cs_play_id = fields.Many2one(
        "cs.play",
        string="Play",
        ondelete="restrict",
        index="btree_not_null",
        help="The call to action it opens, and what follows.",
    )

    def _name_depends(self):
        return [*super()._name_depends(), "cs_play_id"]

    def _generate_action_name(self):
        self.ensure_one()
        if self.state == "cs_cta" and self.cs_play_id:
            return self.env._(
                "Open a call to action: %(play)s", play=self.cs_play_id.name
            )
        return super()._generate_action_name()

    @api.model
    def _warning_depends(self):
        return [*super()._warning_depends(), "state", "cs_play_id"]

    def _get_warning_messages(self):
        self.ensure_one()
        warnings = super()._get_warning_messages()
        if self.state == "cs_cta" and not self.cs_play_id:
            warnings.append(self.env._("Choose the play to run."))
        return warnings

    def _run_action_cs_cta_multi(self, eval_context=None):
        records = eval_context.get("records") or eval_context.get("record")
        if not records or not self.cs_play_id:
            return False
        collect = self.env.context.get("cs_cta_collect")
        if collect is not None:
            # an automation rule's run: the play runs once on all its records
            # when the rule has gone through them (base_automation.py)
            collect[self].extend(records.ids)
            return False
        self._cs_run_play(records)
        return False

    def _cs_run_play(self, records):
        """Run the play on ``records``; the records that fired may keep the
        calls to action they opened."""
        ctas = self.cs_play_id._run_on(records)
        if ctas and hasattr(records, "_cs_on_cta_opened"):
            records._cs_on_cta_opened(ctas)
        return ctas
