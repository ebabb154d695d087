# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mail import (
    email_normalize,
    email_split_and_format_normalize,
    formataddr,
)
from odoo.tools.misc import clean_context

from .mail_render_mixin import PER_RECORD
from .res_partner_signup import SIGNUP_PREPARED


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
        # the recipients as Odoo describes them, for all records in one query
        recipient_data = self.env["mail.followers"]._get_recipient_data(
            None,
            "comment",
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            pids=list(
                {pid for partners in recipients.values() for pid in partners.ids}
            ),
        )[0]
        # who Odoo would not notify of their own message, once per author
        skip_authors = {
            author_id: self._message_compute_real_author(author_id)
            for author_id in set(authors.values())
        }
        odoo_path = self.filtered(
            lambda record: (
                not self._cs_plain_email_recipients(
                    recipients[record.id],
                    recipient_data,
                    skip_authors[authors[record.id]],
                )
            )
        )
        posted = {
            record.id: record._cs_post_rendered(
                template,
                recipients[record.id],
                {field: values[record.id] for field, values in rendered.items()},
                email_froms[record.id],
                authors[record.id],
                langs[record.id],
                attachment_ids=(attachment_ids or {}).get(record.id, []),
            )
            for record in odoo_path
        }
        batch = self - odoo_path
        if batch:
            messages = batch._cs_post_batch_rows(
                template,
                recipients,
                rendered,
                email_froms,
                authors,
                langs,
                recipient_data,
                attachment_ids or {},
            )
            posted.update(zip(batch.ids, messages, strict=True))
        return {res_id: posted[res_id] for res_id in ids}

    def _cs_plain_email_recipients(self, partners, recipient_data, skip_author):
        """Whether ``partners`` are all e-mailed the way the batch poster
        writes it: active, notified by e-mail, and not ``skip_author`` (Odoo
        skips the real author, see ``_message_compute_real_author``, and
        notifies users who chose it in their inbox)."""
        return all(
            partner.id in recipient_data
            and recipient_data[partner.id]["notif"] == "email"
            and recipient_data[partner.id]["active"] is not False
            and partner != skip_author
            for partner in partners
        )

    def _cs_post_rendered(
        self,
        template,
        partners,
        rendered,
        email_from,
        author_id,
        lang,
        attachment_ids=None,
    ):
        """Post an already rendered template with ``message_post``: Odoo's
        own notification, for the recipients the batch rows do not cover
        (an internal user, the author). Only ``partners`` are notified, not
        the record's followers, as in the batch."""
        self.ensure_one()
        return self.with_context(
            lang=lang, mail_notify_force_send=False, mail_post_autofollow=False
        ).message_post(
            body=rendered["body_html"],
            subject=rendered["subject"] or False,
            email_from=email_from,
            author_id=author_id,
            partner_ids=partners.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            email_add_signature=False,
            attachment_ids=attachment_ids or [],
            mail_auto_delete=template.auto_delete,
            notify_skip_followers=True,
        )

    def _cs_post_batch_rows(
        self,
        template,
        recipients,
        rendered,
        email_froms,
        authors,
        langs,
        recipient_data,
        attachment_ids,
    ):
        """Insert the messages, queued e-mails and notifications of the
        batch in one go each, as ``message_post`` would write them for
        recipients that are all e-mailed; returns the messages in the order
        of ``self``."""
        reply_tos = self._notify_get_reply_to_batch(
            defaults={record.id: email_froms[record.id] for record in self},
            author_ids={record.id: authors[record.id] for record in self},
        )
        alias_domains = self.sudo()._mail_get_alias_domains(
            default_company=self.env.company
        )
        companies = self._mail_get_companies(default=self.env.company)
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        layout = "mail.mail_notification_light"
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
        # what Odoo's access button reads of each customer (its users, for
        # the signup token), read for the whole batch at once
        customers = self.env["res.partner"].concat(
            *self._mail_get_partners(introspect_fields=False).values()
        )
        customers.sudo().fetch(["user_ids", "child_ids"])
        records = self.with_context(
            **{SIGNUP_PREPARED: self._cs_prepare_signup(customers)}
        )
        references = self._cs_get_references(messages)
        mail_values, notified = [], []
        descriptions = {}
        for record, message in zip(records, messages, strict=True):
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
            base_values = record._cs_notify_by_email_get_base_mail_values(
                message,
                recipients_data,
                references[message.id],
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
        return messages

    def _cs_get_references(self, messages):
        """The References header of each new message of the batch
        ({message id: header}), as Odoo's
        ``_notify_by_email_get_base_mail_values`` computes it, with the
        earlier messages of every record read in one query instead of one
        search per e-mail: the 32 last messages that are not logs, the 3
        most public of them, oldest first, then the message itself."""
        Message = self.env["mail.message"].sudo()
        query = Message._search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("id", "not in", messages.ids),
                ("subtype_id", "!=", False),
                ("message_id", "!=", False),
            ]
        )
        ranked = query.select(
            SQL.identifier(Message._table, "id"),
            SQL(
                "row_number() OVER (PARTITION BY %s ORDER BY %s DESC)",
                SQL.identifier(Message._table, "res_id"),
                SQL.identifier(Message._table, "id"),
            ),
        )
        self.env.cr.execute(
            SQL(
                "SELECT id FROM (%s) AS ranked(id, rank) WHERE rank <= 32 "
                "ORDER BY id DESC",
                ranked,
            )
        )
        earlier = Message.browse(row[0] for row in self.env.cr.fetchall())
        earlier.fetch(["res_id", "is_internal", "subtype_id", "message_type"])
        earlier.subtype_id.fetch(["internal"])
        by_record = defaultdict(list)
        for ancestor in earlier:
            by_record[ancestor.res_id].append(ancestor)
        outgoing_types = ("comment", "auto_comment", "email", "email_outgoing")
        references = {}
        for message in messages.sudo():
            ancestors = Message.concat(*by_record[message.res_id])
            # as Odoo: the public discussion first, then the oldest first
            history = ancestors.sorted(
                lambda m: (
                    not m.is_internal and not m.subtype_id.internal,
                    m.message_type in outgoing_types,
                    m.message_type not in ("user_notification", "out_of_office"),
                ),
                reverse=True,
            )
            ancestors = history[:3].sorted("id")
            references[message.id] = " ".join(
                m.message_id for m in (ancestors + message)
            )
        return references

    def _cs_notify_by_email_get_base_mail_values(
        self, message, recipients_data, references, additional_values=None
    ):
        """Odoo's ``_notify_by_email_get_base_mail_values``, with the
        References header computed for the whole batch
        (:meth:`_cs_get_references`). The differential test against
        ``message_post`` keeps both equal."""
        mail_subject = message.subject
        if not mail_subject and self and hasattr(self, "_message_compute_subject"):
            mail_subject = self._message_compute_subject()
        if not mail_subject:
            mail_subject = message.record_name
        if mail_subject:
            mail_subject = " ".join(mail_subject.splitlines())
        message_sudo = message.sudo()
        base_mail_values = {
            "mail_message_id": message.id,
            "references": references,
        }
        if mail_subject != message.subject:
            base_mail_values["subject"] = mail_subject
        if additional_values:
            base_mail_values.update(additional_values)
        headers = base_mail_values.get("headers") or {}
        external = [
            r
            for r in recipients_data
            if r["active"] and r["email_normalized"] and r["share"]
        ]
        external_emails = [
            formataddr((r["name"], r["email_normalized"])) for r in external
        ]
        external_emails_normalized = [r["email_normalized"] for r in external]
        external_emails += list(
            {
                email
                for email in email_split_and_format_normalize(
                    f"{message_sudo.incoming_email_to or ''},"
                    f"{message_sudo.incoming_email_cc or ''}"
                )
                if email_normalize(email) not in external_emails_normalized
            }
        )
        if (
            external_emails
            and len(external_emails) < self._CUSTOMER_HEADERS_LIMIT_COUNT
        ):
            headers["X-Msg-To-Add"] = ",".join(external_emails)
        # sudo: access to mail.alias.domain, restricted (as Odoo)
        if message_sudo.record_alias_domain_id.bounce_email:
            headers["Return-Path"] = message_sudo.record_alias_domain_id.bounce_email
        headers = self._notify_by_email_get_headers(headers=headers)
        if headers:
            base_mail_values["headers"] = repr(headers)
        return base_mail_values

    def _cs_prepare_signup(self, customers):
        """Prepare the signup of the ``customers`` Odoo's access button
        invites (those without a user, when anyone may sign up), in one
        write for the batch; returns their ids, for
        :meth:`res.partner.signup_prepare` to skip them one by one."""
        if self.env["res.users"]._get_signup_invitation_scope() != "b2c":
            return frozenset()
        # sudo: as Odoo's button, which prepares the signup of the customer
        # notified by a user who may read the record
        invited = customers.sudo().filtered(lambda partner: not partner.user_ids)
        invited.signup_prepare()
        return frozenset(invited.ids)

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
