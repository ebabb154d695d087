# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("notification_status") == "sent":
            self._cs_clear_comm_issue()
        return result

    def _cs_clear_comm_issue(self):
        """A delivered e-mail to a payer ends its customer's billing problem."""
        # sudo: the flag lives on customers the mailing user may not read; only
        # customers whose payer has just been reached are touched.
        customers = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("payer_id", "in", self.res_partner_id.ids),
                    ("billing_comm_issue", "=", True),
                ]
            )
        )
        customers.payer_id.filtered("message_bounce").message_bounce = 0
        customers._cs_set_comm_issue(False)
