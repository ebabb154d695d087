# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from .mail_render_mixin import PER_RECORD


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
        self._cs_check_template(template, {self.id: partners})
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
            author_id=self._cs_get_author_ids({self.id: email_from})[self.id],
            partner_ids=partners.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            attachments=attachments or [],
        )

    def _cs_post_template_batch(
        self, template, recipients, render_values=None, attachment_ids=None
    ):
        """Post ``template`` on every record of ``self`` at once.

        The batch form of :meth:`_cs_post_template`, for the crons that e-mail
        hundreds of records: the template is rendered once for all of them
        (:meth:`mail.render.mixin._render_template_qweb`), and the messages,
        queued e-mails and notifications are inserted in one go each. Only
        ``recipients`` are e-mailed (not the record's followers), as in
        Odoo's mass mailing.

        :param dict recipients: {record id: res.partner} to e-mail;
        :param dict render_values: {record id: {name: value}}, extra values
          for the template, per record;
        :param dict attachment_ids: {record id: [ir.attachment id]};
        :return: {record id: mail.message}
        """
        self._cs_check_template(template, recipients)
        ids = self.ids
        langs = {
            res_id: lang or self.env.lang
            for res_id, lang in template._render_lang(ids).items()
        }
        add_context = {PER_RECORD: render_values or {}}
        rendered = {
            field: template._render_field(
                field, ids, res_ids_lang=langs, add_context=add_context
            )
            for field in ("subject", "body_html", "email_from")
        }
        email_froms = {res_id: rendered["email_from"][res_id] or None for res_id in ids}
        authors = self._cs_get_author_ids(email_froms)
        for res_id, email_from in email_froms.items():
            if not email_from:
                # no sender on the template: the author's address, as
                # message_post
                email_froms[res_id] = (
                    self.env["res.partner"].browse(authors[res_id]).email_formatted
                )
        reply_tos = self._notify_get_reply_to_batch(
            defaults=email_froms, author_ids=authors
        )
        alias_domains = self.sudo()._mail_get_alias_domains(
            default_company=self.env.company
        )
        companies = self._mail_get_companies(default=self.env.company)
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        layout = "mail.mail_notification_light"
        attachment_ids = attachment_ids or {}
        messages = self._message_create(
            [
                {
                    "model": self._name,
                    "res_id": record.id,
                    "author_id": authors[record.id],
                    "email_from": email_froms[record.id],
                    "reply_to": reply_tos[record.id],
                    "subject": rendered["subject"][record.id] or False,
                    "body": rendered["body_html"][record.id],
                    "message_type": "comment",
                    "subtype_id": subtype_id,
                    "partner_ids": recipients[record.id].ids,
                    "email_layout_xmlid": layout,
                    "email_add_signature": False,
                    "attachment_ids": [
                        (4, attachment_id)
                        for attachment_id in attachment_ids.get(record.id, [])
                    ],
                    "record_alias_domain_id": alias_domains[record.id].id,
                    "record_company_id": companies[record.id].id,
                }
                for record in self
            ]
        )
        # the recipients as Odoo describes them, for all records in one query
        recipient_data = self.env["mail.followers"]._get_recipient_data(
            None,
            "comment",
            subtype_id,
            pids=list(
                {pid for partners in recipients.values() for pid in partners.ids}
            ),
        )[0]
        # what Odoo's access button reads of each customer (its users, for
        # the signup token), read for the whole batch at once
        customers = self.env["res.partner"].concat(
            *self._mail_get_partners(introspect_fields=False).values()
        )
        customers.sudo().fetch(["user_ids", "child_ids"])
        mail_values, notified = [], []
        descriptions = {}
        for record, message in zip(self, messages, strict=True):
            lang = langs[record.id]
            record_lang = record.with_context(lang=lang)
            if lang not in descriptions:
                descriptions[lang] = record_lang._get_model_description(self._name)
            partners = recipients[record.id]
            recipients_data = [
                # only the given recipients, not the record's followers
                {**recipient_data[partner.id], "is_follower": False}
                for partner in partners
            ]
            msg_vals = {
                "email_layout_xmlid": layout,
                "model": self._name,
                "res_id": record.id,
                "author_id": authors[record.id],
                "subtype_id": subtype_id,
                "message_type": "comment",
                "tracking_value_ids": [],
                "email_add_signature": False,
            }
            base_values = record._notify_by_email_get_base_mail_values(
                message,
                recipients_data,
                additional_values={"auto_delete": template.auto_delete},
            )
            # Odoo's own grouping of the recipients (customer, portal user,
            # ...), each with its access button, as message_post does
            for (
                _lang,
                layout_values,
                group,
            ) in record_lang._notify_get_classified_recipients_iterator(
                message,
                recipients_data,
                msg_vals=msg_vals,
                model_description=descriptions[lang],
                force_email_lang=lang,
            ):
                body = record_lang._notify_by_email_render_layout(
                    message, group, msg_vals=msg_vals, render_values=layout_values
                )
                mail_values.append(
                    record._notify_by_email_get_final_mail_values(
                        group["recipients_ids"],
                        base_values,
                        additional_values={"body_html": body},
                    )
                )
                notified.append(
                    (
                        record,
                        message,
                        self.env["res.partner"].browse(group["recipients_ids"]),
                    )
                )
        # no default_* keys of the caller on the e-mails, as Odoo does
        clean_env = self.env(context=clean_context(self.env.context))
        mails = clean_env["mail.mail"].sudo().create(mail_values)
        clean_env["mail.notification"].sudo().create(
            [
                {
                    **record._notify_by_email_get_base_notification_values(message),
                    "mail_mail_id": mail.id,
                    "res_partner_id": partner.id,
                }
                for mail, (record, message, partners) in zip(
                    mails, notified, strict=True
                )
                for partner in partners
            ]
        )
        return dict(zip(ids, messages, strict=True))

    def _cs_check_template(self, template, recipients):
        """Refuse to post without a template, or to a recipient without an
        e-mail address (``recipients``: {record id: res.partner})."""
        if not template:
            raise UserError(self.env._("No e-mail template is configured."))
        for record in self:
            partners = recipients.get(record.id) or self.env["res.partner"]
            missing = partners.filtered(lambda partner: not partner.email)
            if missing or not partners:
                raise UserError(
                    self.env._(
                        "Cannot e-mail %(names)s: no e-mail address.",
                        names=", ".join(missing.mapped("display_name"))
                        or record.display_name,
                    )
                )

    def _cs_get_author_ids(self, email_froms):
        """The author of each record's e-mail ({record id: partner id}), for
        its rendered sender ``email_froms`` ({record id: address}): the
        contact of that address, or the current user when there is none, as
        ``message_post``. Override to choose who signs a model's e-mails."""
        return {
            res_id: (
                self._cs_get_author_id(email_from)
                if email_from
                else self.env.user.partner_id.id
            )
            for res_id, email_from in email_froms.items()
        }

    def _cs_get_author_id(self, email_from):
        """The author of an e-mail sent from ``email_from``, found once per
        transaction: a dunning run sends hundreds from the same address, and
        each lookup searches the contacts by e-mail."""
        if not email_from:
            return None
        cache = self.env.cr.cache.setdefault("cs_author_by_email", {})
        if email_from not in cache:
            author_id, _email = self[:1]._message_compute_author(email_from=email_from)
            cache[email_from] = author_id
        return cache[email_from]
