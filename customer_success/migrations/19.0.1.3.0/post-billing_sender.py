# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Billing e-mails are signed by the invoice's billing sender, never OdooBot.

The shipped billing templates are ``noupdate``: their sender is replaced only
where it is still the former default, a template the company edited keeps
its own. Customer invoices a scheduled job made show OdooBot as their
salesperson on the portal: they get none."""

from odoo import SUPERUSER_ID
from odoo.tools import SQL

OLD_EMAIL_FROM = (
    "{{ (object.invoice_user_id.email_formatted or "
    "object.company_id.email_formatted or user.email_formatted) }}"
)
NEW_EMAIL_FROM = "{{ object.cs_billing_sender_id.email_formatted }}"
TEMPLATES = (
    "mail_template_dunning_reminder",
    "mail_template_dunning_due",
    "mail_template_dunning_overdue_1",
    "mail_template_dunning_overdue_2",
    "mail_template_dunning_final",
    "mail_template_payment_received",
)


def migrate(cr, version):
    cr.execute(
        SQL(
            "UPDATE mail_template SET email_from = %(new)s"
            " WHERE email_from = %(old)s AND id IN ("
            "  SELECT res_id FROM ir_model_data WHERE module = 'customer_success'"
            "  AND model = 'mail.template' AND name IN %(names)s)",
            new=NEW_EMAIL_FROM,
            old=OLD_EMAIL_FROM,
            names=TEMPLATES,
        )
    )
    # as invoices get it now: the customer's salesperson, else none
    cr.execute(
        SQL(
            "UPDATE account_move AS move"
            " SET invoice_user_id = NULLIF(COALESCE(partner.user_id,"
            " commercial.user_id), %(root)s)"
            " FROM res_partner AS partner, res_partner AS commercial"
            " WHERE partner.id = move.partner_id"
            " AND commercial.id = move.commercial_partner_id"
            " AND move.invoice_user_id = %(root)s"
            " AND move.move_type IN ('out_invoice', 'out_refund')",
            root=SUPERUSER_ID,
        )
    )
