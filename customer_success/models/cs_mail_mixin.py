# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.exceptions import UserError


class CsMailMixin(models.AbstractModel):
    """Post a mail template in the chatter, rendered in the recipient's
    language, through the mail queue."""

    _name = "cs.mail.mixin"
    _description = "Customer Success E-mails"

    def _cs_post_template(self, template, partners, attachments=None, add_context=None):
        """Post ``template`` rendered for this record to ``partners``.

        ``add_context`` is passed to the rendering (extra values for the
        template). The e-mail waits in the mail queue: a crash before the
        commit sends nothing, and the queue sends it once.
        """
        self.ensure_one()
        if not template:
            raise UserError(self.env._("No e-mail template is configured."))
        missing = partners.filtered(lambda partner: not partner.email)
        if missing or not partners:
            raise UserError(
                self.env._(
                    "Cannot e-mail %(names)s: no e-mail address.",
                    names=", ".join(missing.mapped("display_name"))
                    or self.display_name,
                )
            )
        rendered = {
            field: template._render_field(
                field, self.ids, compute_lang=True, add_context=add_context
            )[self.id]
            for field in ("subject", "body_html", "email_from")
        }
        email_from = rendered["email_from"] or None
        return self.with_context(
            mail_notify_force_send=False, mail_post_autofollow=False
        ).message_post(
            body=rendered["body_html"],
            subject=rendered["subject"],
            email_from=email_from,
            author_id=self._cs_get_author_id(email_from),
            partner_ids=partners.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            attachments=attachments or [],
        )

    def _cs_get_author_id(self, email_from):
        """The author of an e-mail sent from ``email_from``, found once per
        transaction: a dunning run sends hundreds from the same address, and
        each lookup searches the contacts by e-mail."""
        if not email_from:
            return None
        cache = self.env.cr.cache.setdefault("cs_author_by_email", {})
        if email_from not in cache:
            author_id, _email = self._message_compute_author(email_from=email_from)
            cache[email_from] = author_id
        return cache[email_from]
