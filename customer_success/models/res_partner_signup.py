# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

# the context key of the customers whose signup a batch of e-mails prepared
SIGNUP_PREPARED = "cs_signup_prepared"


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def signup_prepare(self, signup_type="signup"):
        """Skip the write when a batch of e-mails already prepared these
        customers' signup in one write (:meth:`cs.mail.mixin._cs_prepare_signup`):
        Odoo's access button prepares it once per e-mail otherwise."""
        prepared = self.env.context.get(SIGNUP_PREPARED)
        if (
            prepared
            and signup_type == "signup"
            and set(self.ids) <= prepared
            and all(partner.signup_type == signup_type for partner in self)
        ):
            return True
        return super().signup_prepare(signup_type=signup_type)
