# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class MailTrackingEmail(models.Model):
    """The opens that mail_tracking sees (the image of the e-mail loaded)
    tell the billing e-mails and their invoices that they reached someone."""

    _inherit = "mail.tracking.email"

    @api.model_create_multi
    def create(self, vals_list):
        trackings = super().create(vals_list)
        trackings.filtered(lambda tracking: tracking.state == "opened")._cs_on_opened()
        return trackings

    def write(self, vals):
        opening = (
            self.filtered(lambda tracking: tracking.state != "opened")
            if vals.get("state") == "opened"
            else self.browse()
        )
        result = super().write(vals)
        opening._cs_on_opened()
        return result

    def _cs_on_opened(self):
        """First open of these e-mails: their dunning logs and invoices keep
        when it happened."""
        messages = self.mail_message_id
        if not messages:
            return
        now = fields.Datetime.now()
        # sudo: a recipient's open is recorded by the public image route, on
        # the logs and invoices of the e-mail it was in
        logs = (
            self.env["cs.dunning.log"]
            .sudo()
            .search([("message_id", "in", messages.ids), ("opened_date", "=", False)])
        )
        logs.opened_date = now
        self.env["account.move"].sudo()._cs_record_billing_opens(messages, now)
