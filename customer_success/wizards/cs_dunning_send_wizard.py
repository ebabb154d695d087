# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_date


class CsDunningSendWizard(models.TransientModel):
    """Confirm sending dunning steps before their date."""

    _name = "cs.dunning.send.wizard"
    _description = "Send Next Reminder Now"

    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    # what the dialog named: {invoice id: step id}; sending checks that it
    # is still the step due now (the daily run or another user may have
    # sent it meanwhile)
    confirmed_steps = fields.Json(readonly=True)
    summary = fields.Html(compute="_compute_summary", sanitize=False)

    @api.depends("move_ids")
    def _compute_summary(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            lines = []
            for move in wizard.move_ids:
                step, early = move._cs_get_step_to_send_now(today)
                date = format_date(self.env, step._get_date(move.invoice_date_due))
                if early:
                    text = self.env._(
                        "This sends %(step)s of %(invoice)s now, before its date "
                        "%(date)s.",
                        step=step.name,
                        invoice=move.display_name,
                        date=date,
                    )
                else:
                    text = self.env._(
                        "This sends %(step)s of %(invoice)s, due since %(date)s.",
                        step=step.name,
                        invoice=move.display_name,
                        date=date,
                    )
                lines.append(Markup("<p>%s</p>") % escape(text))
            wizard.summary = Markup("").join(lines)

    @api.model
    def _action_open(self, moves):
        today = fields.Date.context_today(self)
        wizard = self.create(
            {
                "move_ids": [fields.Command.set(moves.ids)],
                "confirmed_steps": {
                    str(move.id): move._cs_get_step_to_send_now(today)[0].id
                    for move in moves
                },
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Next Reminder Now"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_send(self):
        """Send the steps, early ones included, and say what went out."""
        self.ensure_one()
        confirmed = tuple(
            (int(move_id), step_id)
            for move_id, step_id in (self.confirmed_steps or {}).items()
        )
        action = self.move_ids.with_context(
            cs_send_early=confirmed
        ).action_cs_send_next_reminder()
        # the dialog closes; the invoice form behind it reloads
        action["params"]["next"] = {"type": "ir.actions.act_window_close"}
        return action
