# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import format_amount, format_date


class AccountMove(models.Model):
    """What a billing call to action opened on an invoice says of it, and
    who follows it up when the customer has no success manager."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _cs_get_cta_note(self):
        """In the language of the context: for the play *A billing e-mail
        bounced or the invoice was never received* (``cs_play_id`` in the
        context), why receipt is in doubt and how to reach the payer; for
        *Dunning reached its final step*, the notice, the amount due and
        since when; else the invoice's name."""
        self.ensure_one()
        play = self.env["cs.play"].browse(self.env.context.get("cs_play_id"))
        ref = play._is_shipped
        if ref("customer_success.cs_play_billing_unreached"):
            return self._cs_get_receipt_check_note()
        if ref("customer_success.cs_play_dunning_final"):
            return self.env._(
                "%(invoice)s: %(step)s, %(amount)s due since %(date)s.",
                invoice=self.display_name,
                step=self.cs_dunning_step_id.name or "-",
                amount=format_amount(self.env, self.amount_residual, self.currency_id),
                date=format_date(self.env, self.invoice_date_due),
            )
        return self.display_name

    def _cs_get_cta_fallback_user(self):
        """The invoice's salesperson, else the responsible of its dunning
        policy, the first who works in customer success (a call to action is
        read in that app)."""
        self.ensure_one()
        for user in (self.invoice_user_id, self.cs_dunning_policy_id.user_id):
            if user and user.has_group("customer_success.customer_success_group_user"):
                return user
        return None


class CsDunningLog(models.Model):
    _inherit = "cs.dunning.log"

    def _cs_get_cta_note(self):
        """The step that could not reach the payer, of which invoice, and
        why, in the language of the context (a blocked step's reason is
        found again in that language; a mail server's words stay as they
        came)."""
        self.ensure_one()
        reason = False
        if self.state == "blocked":
            reason = self.move_id._cs_get_communication_problems().get(self.partner_id)
        reason = (
            reason
            or self.blocked_reason
            or dict(self._fields["state"]._description_selection(self.env)).get(
                self.state
            )
        )
        return self.env._(
            "%(step)s of %(invoice)s did not reach the payer %(payer)s: %(reason)s",
            step=self.step_id.name,
            invoice=self.move_id.display_name,
            payer=self.partner_id.display_name or "-",
            reason=reason,
        )

    def _cs_get_cta_fallback_user(self):
        self.ensure_one()
        return self.move_id._cs_get_cta_fallback_user()
