# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reminders are noupdate: the upgrade gives them the new blocks.

19.0.1.5.0 replaces the "View and pay online" link of each invoice with the
``dunning_mail_invoice_pay`` block (where the Pix code goes) and adds the
early-payment discount (before the due date) or the amount due today with
fee and interest (after it). Only the link as 19.0.1.4.0 shipped it is
replaced, in every language; a template whose link was edited by hand is
left as it is.
"""

import json
import re

from odoo.tools import SQL

LINK = re.compile(
    r'<a t-att-href="invoice\.get_base_url\(\) \+ invoice\.get_portal_url\(\)"'
    r"[^>]*>.*?</a>",
    re.DOTALL,
)
PAY = '<t t-call="customer_success.dunning_mail_invoice_pay"/>'
BLOCKS = {
    "mail_template_dunning_reminder": "dunning_mail_invoice_early_discount",
    "mail_template_dunning_due": "dunning_mail_invoice_early_discount",
    "mail_template_dunning_overdue_1": "dunning_mail_invoice_amount",
    "mail_template_dunning_overdue_2": "dunning_mail_invoice_amount",
    "mail_template_dunning_final": "dunning_mail_invoice_amount",
}


def migrate(cr, version):
    for xmlid, block in BLOCKS.items():
        cr.execute(
            SQL(
                "SELECT t.id, t.body_html FROM mail_template t"
                " JOIN ir_model_data d ON d.res_id = t.id"
                " AND d.model = 'mail.template'"
                " WHERE d.module = 'customer_success' AND d.name = %s",
                xmlid,
            )
        )
        for template_id, body in cr.fetchall():
            if not body or "customer_success.dunning_mail_invoice_pay" in str(body):
                continue
            new = PAY + f'<div><t t-call="customer_success.{block}"/></div>'
            changed = {
                lang: LINK.sub(new, text, count=1) if text else text
                for lang, text in body.items()
            }
            if changed != body:
                cr.execute(
                    SQL(
                        "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                        json.dumps(changed),
                        template_id,
                    )
                )
