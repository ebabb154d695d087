# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class SaleSubscriptionLine(models.Model):
    _inherit = "sale.subscription.line"

    def _prepare_account_move_line(self):
        """subscription_oca takes the income account from the product or its
        category only, and writes an empty one when neither has it (a product
        without category, as Odoo 19 creates them): the invoice then cannot
        be saved. Leave the account out instead, and the invoice line finds
        it the way Odoo does, down to the company's income account."""
        values = super()._prepare_account_move_line()
        if not values.get("account_id"):
            values.pop("account_id", None)
        return values
