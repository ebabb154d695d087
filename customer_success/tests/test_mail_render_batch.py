# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models.mail_render_mixin import PER_RECORD
from .common import CustomerSuccessBillingCommon

TRACKING_ID = re.compile(r'data-odoo-tracking-email="\d+"')
TRACKING_IMAGE = re.compile(r"/mail/tracking/open/[^/]+/\d+/[0-9a-f]+/blank\.gif")

# Templates a company might write, each hostile to a shared scope: what one
# record's rendering sets must never show in another record's output.
HOSTILE_BODIES = {
    "conditional t-set": (
        '<t t-if="object.amount_total &gt; 250">'
        '<t t-set="secret" t-value="object.commercial_partner_id.name"/></t>'
        "<p>Secret: <t t-out=\"secret or 'none'\"/></p>"
    ),
    "t-set that accumulates": (
        '<t t-set="seen" t-value="(seen or []) + [object.name]"/>'
        "<p t-out=\"', '.join(seen)\"/>"
    ),
    "t-foreach that sets": (
        '<t t-foreach="cs_invoices or object" t-as="invoice">'
        '<t t-set="last_total" t-value="invoice.amount_total"/>'
        '<t t-if="invoice.amount_total &gt; 250">'
        '<t t-set="big" t-value="invoice.name"/></t></t>'
        '<p>Last: <t t-out="last_total"/>, big: <t t-out="big or \'none\'"/></p>'
    ),
    "t-call": (
        '<t t-call="customer_success.test_hostile_call"/>'
        "<p>After call: <t t-out=\"called or 'none'\"/></p>"
    ),
    "per-record language": (
        '<p><t t-out="format_date(object.invoice_date_due)"/> '
        '<t t-out="format_amount(object.amount_residual, object.currency_id)"/> '
        '<t t-out="object.currency_id.amount_to_text(object.amount_residual)"/> '
        "<t t-if=\"object.partner_id.lang == 'pt_BR'\">"
        '<t t-set="greeting" t-value="\'Olá\'"/></t>'
        "<t t-out=\"greeting or 'Hello'\"/></p>"
    ),
}


@tagged("post_install", "-at_install")
class TestBatchRendererMatchesOdoo(CustomerSuccessBillingCommon):
    """The batched renderer renders each record exactly as Odoo's own
    ``_render_field`` renders it alone (the reference), for the shipped
    templates and for templates written to leak between records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")
        cls.payer.lang = "pt_BR"
        cls.others = cls.env["res.partner"].create(
            [
                {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"},
                {
                    "name": "Cedro Cloud",
                    "is_company": True,
                    "email": "c@cedro.example",
                    "lang": "pt_BR",
                },
            ]
        )
        cls.groups = [
            cls.create_invoice(amount=300.0) | cls.create_invoice(amount=120.0),
            cls.create_invoice(amount=90.0, partner=cls.others[0]),
            # the same language as the first payer, below the t-if's bar
            cls.create_invoice(amount=20.0, partner=cls.others[1])
            | cls.create_invoice(amount=480.0, partner=cls.others[1]),
        ]
        cls.leads = cls.env["account.move"].concat(*(moves[0] for moves in cls.groups))
        view = cls.env["ir.ui.view"].create(
            {
                "name": "test_hostile_call",
                "type": "qweb",
                "key": "customer_success.test_hostile_call",
                "arch": '<t t-name="customer_success.test_hostile_call">'
                '<t t-if="object.amount_total &gt; 250">'
                '<t t-set="called" t-value="object.name"/></t>'
                "<span t-out=\"called or 'none'\"/></t>",
            }
        )
        cls.env["ir.model.data"].create(
            {
                "module": "customer_success",
                "name": "test_hostile_call",
                "model": "ir.ui.view",
                "res_id": view.id,
            }
        )

    def _hostile_template(self, body):
        return self.env["mail.template"].create(
            {
                "name": "Edited by the company",
                "model_id": self.env["ir.model"]._get_id("account.move"),
                "subject": "{{ object.name }}",
                "lang": "{{ object.partner_id.lang }}",
                "body_html": body,
            }
        )

    def _per_record(self):
        return {moves[0].id: {"cs_invoices": moves} for moves in self.groups}

    def _render_batch(self, template, field):
        return template._render_field(
            field,
            self.leads.ids,
            compute_lang=True,
            add_context={PER_RECORD: self._per_record()},
        )

    def _render_reference(self, template, field):
        """Odoo's own path: one record at a time, no batch."""
        langs = template._render_lang(self.leads.ids)
        return {
            lead.id: template._render_field(
                field,
                lead.ids,
                compute_lang=True,
                add_context={
                    "cs_invoices": moves.with_context(lang=langs[lead.id] or "en_US")
                },
            )[lead.id]
            for lead, moves in zip(self.leads, self.groups, strict=True)
        }

    def assertSameAsOdoo(self, template):
        """Each record's subject, sender and body, batched, equal Odoo's
        own rendering of that record alone; returns the bodies."""
        bodies = {}
        for field in ("subject", "email_from", "body_html"):
            batch = self._render_batch(template, field)
            reference = self._render_reference(template, field)
            self.assertEqual(set(batch), set(self.leads.ids))
            for lead in self.leads:
                self.assertEqual(
                    batch[lead.id],
                    reference[lead.id],
                    f"{template.name}, {field}, invoice {lead.name}",
                )
            bodies = batch
        return bodies

    def test_shipped_templates(self):
        templates = self.env["mail.template"].search(
            [("model", "=", "account.move"), ("id", "in", self._shipped_ids())]
        )
        self.assertGreaterEqual(len(templates), 6)
        for template in templates:
            self.assertSameAsOdoo(template)

    def _shipped_ids(self):
        return (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "customer_success"), ("model", "=", "mail.template")]
            )
            .mapped("res_id")
        )

    def test_hostile_templates(self):
        for label, body in HOSTILE_BODIES.items():
            with self.subTest(label):
                self.assertSameAsOdoo(self._hostile_template(body))

    def test_a_conditional_set_stays_with_its_record(self):
        """The leak the company's edited template showed: the first payer's
        name set in a ``t-if`` appeared in the next payer's e-mail."""
        template = self._hostile_template(HOSTILE_BODIES["conditional t-set"])
        bodies = self._render_batch(template, "body_html")
        first, second, third = (bodies[lead.id] for lead in self.leads)
        self.assertIn(self.customer.name, first)
        self.assertIn("Secret: none", second)
        self.assertNotIn(self.customer.name, second)
        self.assertIn("Secret: none", third)
        self.assertNotIn(self.customer.name, third)
        accumulated = self._render_batch(
            self._hostile_template(HOSTILE_BODIES["t-set that accumulates"]),
            "body_html",
        )
        for lead in self.leads:
            self.assertIn(Markup("<p>%s</p>") % lead.name, accumulated[lead.id])

    def test_per_record_language(self):
        template = self._hostile_template(HOSTILE_BODIES["per-record language"])
        bodies = self.assertSameAsOdoo(template)
        self.assertIn("Olá", bodies[self.leads[0].id])
        self.assertIn("trezentos", bodies[self.leads[0].id].lower())
        self.assertIn("Hello", bodies[self.leads[1].id])
        self.assertIn("ninety", bodies[self.leads[1].id].lower())

    def test_a_template_that_fails_for_one_record(self):
        """As Odoo: the whole rendering is refused, for the same reason."""
        template = self._hostile_template('<p t-out="1 / (object.amount_total - 90)"/>')
        with self.assertRaises(UserError) as reference:
            self._render_reference(template, "body_html")
        with self.assertRaises(UserError) as batch:
            self._render_batch(template, "body_html")
        self.assertIn("ZeroDivisionError", str(reference.exception))
        self.assertEqual(
            str(batch.exception).split("\n")[0],
            str(reference.exception).split("\n")[0],
        )
        self.assertIn("ZeroDivisionError", str(batch.exception))

    def test_compiled_once_per_batch(self):
        """The speed the batch is for: one compilation for all records."""
        template = self._hostile_template(HOSTILE_BODIES["conditional t-set"])
        IrQweb = type(self.env["ir.qweb"])
        calls = []
        generate = IrQweb._generate_code_uncached

        def counting(qweb, source):
            calls.append(source)
            return generate(qweb, source)

        with patch.object(IrQweb, "_generate_code_uncached", counting):
            self._render_batch(template, "body_html")
        # one per language of the batch (en_US and pt_BR)
        self.assertEqual(len(calls), 2)


# Differ by nature between two postings of the same content.
VOLATILE = {
    "id",
    "create_date",
    "write_date",
    "date",
    "message_id",
    "references",
    "scheduled_date",
    "__last_update",
}
# Links to the rows being compared: their ids differ between the two postings.
LINKS = {"mail.message", "mail.mail", "mail.notification"}


@tagged("post_install", "-at_install")
class TestBatchPosterMatchesMessagePost(CustomerSuccessBillingCommon):
    """The batch poster writes the mail rows itself, through Odoo's private
    notification methods. The rows and the outgoing e-mails it produces
    must equal what ``message_post`` produces for the same recipients: an
    Odoo update changing those internals then fails here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")
        cls.payer.lang = "pt_BR"
        cls.other = cls.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        cls.groups = [
            cls.create_invoice(amount=300.0) | cls.create_invoice(amount=120.0),
            cls.create_invoice(amount=90.0, partner=cls.other),
        ]
        cls.leads = cls.groups[0][0] | cls.groups[1][0]
        # portal links: the same token in both postings
        for moves in cls.groups:
            for move in moves:
                move._portal_ensure_token()
        cls.recipients = {cls.leads[0].id: cls.payer, cls.leads[1].id: cls.other}
        cls.template = cls.env.ref("customer_success.mail_template_dunning_overdue_1")
        # the invoices' followers are not e-mailed by a reminder: none here,
        # so that message_post reaches the same recipients
        for lead in cls.leads:
            lead.message_unsubscribe(lead.message_partner_ids.ids)
        # a history for the References header: public and internal messages
        # mixed; then public ones older than the 32 last messages, which
        # Odoo does not look at
        for index, xmlid in enumerate(["mt_comment", "mt_note"] * 3):
            cls.leads[0].message_post(
                body=f"Earlier {index}", subtype_xmlid=f"mail.{xmlid}"
            )
        for xmlid in ["mt_comment"] * 3 + ["mt_note"] * 32:
            cls.leads[1].message_post(body="Earlier", subtype_xmlid=f"mail.{xmlid}")
        cls.attachments = {
            lead.id: cls.env["ir.attachment"]
            .create(
                {
                    "name": f"{lead.name}.pdf",
                    "raw": b"%PDF-1.4 test",
                    "res_model": "account.move",
                    "res_id": lead.id,
                }
            )
            .ids
            for lead in cls.leads
        }

    def _rows(self, records):
        """The stored values of ``records``, comparable across postings."""
        names = [
            name
            for name, field in records._fields.items()
            if field.store
            and name not in VOLATILE
            and getattr(field, "comodel_name", None) not in LINKS
        ]
        rows = []
        for values in records.read(names):
            row = {}
            for name in names:
                value = values[name]
                if isinstance(value, tuple):  # many2one: (id, name)
                    value = value[0]
                elif isinstance(value, list):
                    value = sorted(value)
                row[name] = value
            rows.append(row)
        return rows

    def _outgoing(self, mails, message_ids):
        """What Odoo hands to the SMTP server for ``mails``, each message's
        Message-Id and mail_tracking's open image (one per e-mail and
        recipient, by design) put aside."""
        outgoing = []
        for mail in mails:
            for email in mail._prepare_outgoing_list():
                text = repr(sorted(email.items(), key=lambda item: item[0]))
                for message_id in message_ids:
                    text = text.replace(message_id, "<message-id>")
                text = TRACKING_IMAGE.sub("/mail/tracking/open/<image>", text)
                text = TRACKING_ID.sub('data-odoo-tracking-email="<id>"', text)
                outgoing.append(text)
        return outgoing

    def _capture(self, post):
        """Post with ``post()``, return the rows it produced per invoice, and
        roll the posting back."""
        Message = self.env["mail.message"]
        last = Message.search([], order="id desc", limit=1).id
        with self.env.cr.savepoint() as savepoint:
            post()
            self.env.flush_all()
            captured = {}
            for lead in self.leads:
                messages = Message.search(
                    [
                        ("id", ">", last),
                        ("model", "=", "account.move"),
                        ("res_id", "=", lead.id),
                    ]
                )
                self.assertEqual(len(messages), 1)
                mails = (
                    self.env["mail.mail"]
                    .sudo()
                    .search([("mail_message_id", "=", messages.id)])
                )
                notifications = (
                    self.env["mail.notification"]
                    .sudo()
                    .search([("mail_message_id", "=", messages.id)])
                )
                captured[lead.id] = {
                    "message": self._rows(messages),
                    "mail": self._rows(mails),
                    "notification": self._rows(notifications),
                    "outgoing": self._outgoing(mails, messages.mapped("message_id")),
                    # the earlier messages it refers to, then itself
                    "references": [
                        mail.references.replace(messages.message_id, "<self>")
                        for mail in mails
                    ],
                }
            savepoint.rollback()
        self.env.invalidate_all()
        return captured

    def _post_batch(self):
        self.leads._cs_post_template_batch(
            self.template,
            self.recipients,
            render_values={
                moves[0].id: {"cs_invoices": moves} for moves in self.groups
            },
            attachment_ids=self.attachments,
        )

    def _post_one_by_one(self):
        """Odoo's way: render the template for the invoice, then post it."""
        langs = self.template._render_lang(self.leads.ids)
        for lead, moves in zip(self.leads, self.groups, strict=True):
            lang = langs[lead.id] or "en_US"
            template = self.template.with_context(lang=lang)
            rendered = {
                field: template._render_field(
                    field,
                    lead.ids,
                    compute_lang=True,
                    add_context={"cs_invoices": moves.with_context(lang=lang)},
                )[lead.id]
                for field in ("subject", "body_html", "email_from")
            }
            lead.with_context(
                lang=lang, mail_notify_force_send=False, mail_post_autofollow=False
            ).message_post(
                body=rendered["body_html"],
                subject=rendered["subject"],
                email_from=rendered["email_from"] or None,
                author_id=lead._cs_get_author_ids(
                    {lead.id: rendered["email_from"] or None}
                )[lead.id],
                partner_ids=self.recipients[lead.id].ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
                email_add_signature=False,
                attachment_ids=self.attachments[lead.id],
                mail_auto_delete=self.template.auto_delete,
            )

    def _assert_same_as_message_post(self):
        """Post both ways; the rows and e-mails per invoice must be equal."""
        batch = self._capture(self._post_batch)
        reference = self._capture(self._post_one_by_one)
        for lead in self.leads:
            for kind in ("message", "mail", "notification", "outgoing", "references"):
                self.assertEqual(
                    batch[lead.id][kind],
                    reference[lead.id][kind],
                    f"{kind} of {lead.name}",
                )
        return batch

    @freeze_time("2026-03-13 10:00:00")
    def test_same_rows_and_emails_as_message_post(self):
        # frozen: the signup token of the access button holds the time
        batch = self._assert_same_as_message_post()
        # the References header looked at the history
        for lead in self.leads:
            references = batch[lead.id]["references"][0].split()
            self.assertEqual(len(references), 4, references)
            self.assertEqual(references[-1], "<self>")
        # and the comparison looked at real e-mails, to each payer
        outgoing = batch[self.leads[0].id]["outgoing"]
        self.assertEqual(len(outgoing), 1)
        self.assertIn("financeiro@nuvemalta.example.com", outgoing[0])
        self.assertIn("X-Odoo-Objects", outgoing[0])
        self.assertNotIn("c@ipe.example", outgoing[0])

    @freeze_time("2026-03-13 10:00:00")
    def test_internal_recipient_notified_in_inbox_as_message_post(self):
        """A user who reads notifications in Odoo gets one in the inbox, no
        e-mail, as message_post does."""
        user = new_test_user(
            self.env,
            login="cs_inbox_payer",
            email="inbox@nuvemalta.example.com",
            notification_type="inbox",
        )
        self.recipients = {
            self.leads[0].id: self.payer,
            self.leads[1].id: user.partner_id,
        }
        batch = self._assert_same_as_message_post()
        inbox = batch[self.leads[1].id]
        self.assertEqual(inbox["mail"], [])
        self.assertEqual(
            [row["notification_type"] for row in inbox["notification"]], ["inbox"]
        )
        self.assertEqual(len(batch[self.leads[0].id]["outgoing"]), 1)

    @freeze_time("2026-03-13 10:00:00")
    def test_author_not_emailed_as_message_post(self):
        """The person posting is not e-mailed their own message."""
        self.env.user.partner_id.email = "admin@cliente.example.com"
        self.recipients = {
            self.leads[0].id: self.payer,
            self.leads[1].id: self.env.user.partner_id,
        }
        batch = self._assert_same_as_message_post()
        self.assertEqual(batch[self.leads[1].id]["notification"], [])
        self.assertEqual(batch[self.leads[1].id]["mail"], [])
