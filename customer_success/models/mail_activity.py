# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        checkin_type = self.env.ref(
            "customer_success.mail_activity_type_cs_checkin", raise_if_not_found=False
        )
        checkins = self.filtered(
            lambda activity: (
                activity.res_model == "res.partner"
                and activity.activity_type_id == checkin_type
            )
        )
        customers = self.env["res.partner"].browse(checkins.mapped("res_id"))
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        # the CSM may not be allowed to write every field of the customer;
        # only the date of the last touch is written, and it is theirs to set
        customers.sudo()._cs_touch(fields.Date.context_today(self))
        return res
