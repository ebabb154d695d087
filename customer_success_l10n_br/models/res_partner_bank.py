# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

# the proxy types that are Pix keys (l10n_br's)
PIX_PROXY_TYPES = ("email", "mobile", "br_cpf_cnpj", "br_random")
# the cursor's cache of Odoo's QR checks: {bank account id: error or None}
PIX_CHECKS = "cs_pix_checks"


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _cs_has_pix_key(self):
        """Whether this bank account has a Pix key."""
        self.ensure_one()
        return self.proxy_type in PIX_PROXY_TYPES and bool(self.proxy_value)

    def _cs_get_pix_error(self):
        """What Odoo's QR-code checks refuse in this account for a Pix code
        in reais (None when nothing). Checked once per bank account for the
        cursor (a dunning run, a request): :meth:`_cs_reset_pix_checks`
        starts afresh."""
        self.ensure_one()
        checks = self.env.cr.cache.setdefault(PIX_CHECKS, {})
        if self.id not in checks:
            brl = self.env.ref("base.BRL")
            holder = self.partner_id
            checks[self.id] = self._get_error_messages_for_qr(
                "emv_qr", holder, brl
            ) or self._check_for_qr_code_errors("emv_qr", 0.0, brl, holder, "", "")
        return checks[self.id]

    def _cs_reset_pix_checks(self):
        """Forget the checks done so far: the next ones read the accounts as
        they are now (a dunning run starts with it)."""
        self.env.cr.cache.pop(PIX_CHECKS, None)

    def _cs_ask_pix_fix(self, error, user):
        """One activity on this account for ``user`` to fix what Odoo's QR
        check refuses (``error``); none while an earlier one is open."""
        self.ensure_one()
        activity_type = self.env.ref(
            "customer_success_l10n_br.mail_activity_type_cs_pix_key"
        )
        # sudo: the dunning run (or a CSM sending a reminder) flags the
        # company's account for whoever configures it, without the right to
        # edit bank accounts itself
        bank = self.sudo()
        if bank.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            return bank.env["mail.activity"]
        env = bank.with_context(lang=user.lang or self.env.lang).env
        return bank.activity_schedule(
            activity_type_id=activity_type.id,
            summary=env._(
                "Fix the Pix key of %(account)s: reminders go out without "
                "their Pix QR code",
                account=bank.display_name,
            ),
            note=error,
            user_id=user.id,
        )
