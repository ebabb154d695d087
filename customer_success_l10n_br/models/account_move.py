# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, models


class AccountMove(models.Model):
    """Pix in the billing conversation: the code and QR code that pay an
    invoice's amount due today, in every reminder and on its portal page."""

    _inherit = "account.move"

    def _cs_get_pix_amount(self):
        """The amount a Pix payment of this invoice pays today: the amount due
        today with fee and interest where customer_success computes them,
        else what is left to pay."""
        self.ensure_one()
        if hasattr(self, "_cs_get_late_charge_values"):
            return self._cs_get_late_charge_values()["total"]
        return self.amount_residual

    def _cs_get_pix_bank(self):
        """The company's bank account with a Pix key that this invoice is
        paid to: the invoice's own, else the company's first one (trusted
        accounts first). Empty when the company has none."""
        self.ensure_one()
        if self.currency_id.name != "BRL":
            # Pix moves reais only
            return self.env["res.partner.bank"]
        holder = self.company_id.partner_id
        banks = self.partner_bank_id.filtered(
            lambda bank: bank.partner_id == holder
        ) | holder.bank_ids.sorted(lambda bank: not bank.allow_out_payment)
        return banks.filtered(
            lambda bank: (
                bank._cs_has_pix_key()
                and (not bank.company_id or bank.company_id == self.company_id)
            )
        )[:1]

    def _cs_get_pix_values(self):
        """How to pay this invoice by Pix now, from Odoo's QR-code machinery
        of its bank account: {"amount", "code" (the "Pix copia e cola"
        payload), "qr_url" (the QR code image, a path Odoo serves to
        anyone)}; None without a Pix key, or with one Odoo's QR check
        refuses."""
        self.ensure_one()
        bank = self._cs_get_pix_bank()
        if not bank or bank._cs_get_pix_error():
            return None
        amount = self._cs_get_pix_amount()
        if self.currency_id.is_zero(amount):
            return None
        # the references Odoo's invoice QR code carries (_generate_qr_code)
        args = (
            "emv_qr",
            amount,
            self.currency_id,
            self.partner_id,
            self.payment_reference or self.name,
            self.payment_reference,
        )
        return {
            "amount": amount,
            "code": bank._get_qr_vals(*args),
            "qr_url": bank._get_qr_code_url(*args),
        }

    def _cs_check_pix_banks(self):
        """Check the Pix accounts of these invoices once each, and ask the
        billing responsible (the dunning policy's, else the administrator)
        to fix the ones Odoo's QR check refuses: their reminders go out
        without the QR code."""
        by_bank = defaultdict(self.browse)
        for move in self:
            bank = move._cs_get_pix_bank()
            if bank:
                by_bank[bank] |= move
        for bank, moves in by_bank.items():
            error = bank._cs_get_pix_error()
            if error:
                user = moves.cs_dunning_policy_id.user_id[:1] or self.env.ref(
                    "base.user_admin"
                )
                bank._cs_ask_pix_fix(error, user)

    @api.model
    def _cs_post_dunning_emails(
        self, template, payer_moves, attach_invoice=False, **kwargs
    ):
        moves = self.browse(
            [move.id for _payer, moves in payer_moves for move in moves]
        )
        moves._cs_check_pix_banks()
        return super()._cs_post_dunning_emails(
            template, payer_moves, attach_invoice, **kwargs
        )

    @api.model
    def _cron_cs_dunning(self, batch_size=500):
        # a run reads the bank accounts as they are when it starts, once each
        self.env["res.partner.bank"]._cs_reset_pix_checks()
        return super()._cron_cs_dunning(batch_size=batch_size)

    def action_cs_send_next_reminder(self):
        self.env["res.partner.bank"]._cs_reset_pix_checks()
        return super().action_cs_send_next_reminder()
