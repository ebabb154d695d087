# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .mail_mail import SERVER_FAILURES

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    """The billing e-mails of invoices: one per payer listing its invoices,
    with their PDFs and portal links, signed by the billing sender; and the
    payers that e-mail cannot reach."""

    _name = "account.move"
    _inherit = ["account.move", "cs.mail.mixin"]

    def _cs_send_step_emails(self, groups, problems):
        """The e-mails of a dunning run, one batch per step: {invoices: log
        values}, for the groups of ``groups`` ({(step, payer): invoices})
        whose step e-mails now."""
        by_step = defaultdict(list)
        for (step, payer), moves in groups.items():
            mode = step._get_mode(moves[0].commercial_partner_id, problems.get(payer))
            if mode == "email":
                by_step[step].append((payer, moves))
        results = {}
        for step, payer_moves in by_step.items():
            results.update(self._cs_send_step_email_batch(step, payer_moves))
        return results

    @api.model
    def _cs_send_step_email_batch(self, step, payer_moves):
        """One e-mail per payer of ``payer_moves`` ([(payer, invoices)]) for
        ``step``, rendered and queued in one go. Should the batch fail (a
        template that breaks on one invoice), each payer's e-mail is tried
        on its own, so that only the broken ones fail."""
        try:
            with self.env.cr.savepoint():
                messages, notes = self._cs_post_dunning_emails(
                    step.mail_template_id, payer_moves, step.attach_invoice
                )
        except psycopg2.Error:
            # the database's problem, not the template's: the scheduler
            # retries the batch
            raise
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info("Dunning e-mails of %s sent one by one: %s", step.name, error)
            return {
                moves: moves._cs_try_send_step_email(step, payer)
                for payer, moves in payer_moves
            }
        return {
            moves: {
                "message_id": messages[moves[0].id].id,
                "state": "queued",
                "note": notes.get(moves[0].id, False),
            }
            for _payer, moves in payer_moves
        }

    def _cs_try_send_step_email(self, step, payer):
        """Send the step's e-mail; a broken template fails this step only."""
        try:
            with self.env.cr.savepoint():
                message, note = self._cs_send_email(
                    step.mail_template_id, step.attach_invoice
                )
        except psycopg2.Error:
            # a lock or a serialization failure is not a broken template: the
            # step must stay to do, for the scheduler's retry
            raise
        except Exception as error:  # noqa: BLE001 - any template error, see below
            # A broken template must not stop the other invoices of the run: the
            # step is logged as failed and a person takes over.
            _logger.warning("Dunning e-mail for %s failed: %s", self.ids, error)
            reason = self.env._(
                "The e-mail of step %(step)s could not be prepared: %(error)s",
                step=step.name,
                error=str(error),
            )
            activity = self[0]._cs_schedule_activity(
                self.env.ref("mail.mail_activity_data_todo"),
                lambda env: env._("Dunning e-mail failed: send it by hand"),
                self.commercial_partner_id[:1].csm_id,
                note=reason,
                invoices=self,
            )
            return {
                "state": "failed",
                "blocked_reason": reason[:250],
                "activity_id": activity.id,
            }
        return {"message_id": message.id, "state": "queued", "note": note}

    def _cs_send_email(self, template, attach_invoice=False, business_days=True):
        """Post ``template`` on the first invoice, listing all of ``self``,
        to the billing recipients, through the mail queue: the message, and
        what it went out without (or False). ``business_days``: see
        :meth:`_cs_post_dunning_emails`."""
        lead = self[0]
        messages, notes = self._cs_post_dunning_emails(
            template,
            [(lead.cs_payer_id, self)],
            attach_invoice,
            business_days=business_days,
        )
        return messages[lead.id], notes.get(lead.id, False)

    @api.model
    def _cs_post_dunning_emails(
        self, template, payer_moves, attach_invoice=False, business_days=True
    ):
        """One e-mail per payer of ``payer_moves`` ([(payer, invoices)]),
        posted on its first invoice and listing all of them, to the billing
        recipients, through the mail queue: {first invoice id: message}, and
        {first invoice id: note} for the e-mails that went out without their
        invoice PDF (it could not be produced: the portal link remains).

        The e-mails leave in the company's sending window, on its business
        days when ``business_days`` (the reminders; the payment confirmation
        goes on any day): see :meth:`_cs_hold_for_sending_window`."""
        if not template:
            raise UserError(self.env._("No e-mail template is set for this step."))
        leads = self.browse([moves[0].id for _payer, moves in payer_moves])
        leads.commercial_partner_id.fetch(["payer_id", "billing_cc_signer", "email"])
        all_moves = self.browse(
            [move.id for _payer, moves in payer_moves for move in moves]
        )
        all_moves._cs_ensure_access_tokens()
        # the amounts due today of all the e-mails' invoices in one go, not
        # one query per e-mail
        all_moves._cs_prefetch_late_charges()
        not_received = all_moves._cs_is_not_received()
        recipients, render_values, attachments, notes = {}, {}, {}, {}
        for payer, moves in payer_moves:
            lead = moves[0]
            recipients[lead.id] = moves._cs_get_dunning_recipients(payer, not_received)
            # read in the payer's language, like ``object`` (amounts in words)
            render_values[lead.id] = {"cs_invoices": moves}
            if attach_invoice:
                attachments[lead.id], error = moves._cs_try_get_invoice_pdf_ids()
                if error:
                    notes[lead.id] = self.env._(
                        "Sent without the invoice PDF, which could not be "
                        "produced: %(error)s",
                        error=error,
                    )[:250]
        messages = leads._cs_post_template_batch(
            template,
            recipients,
            render_values=render_values,
            attachment_ids=attachments,
        )
        leads._cs_hold_for_sending_window(messages, business_days)
        return messages, notes

    def _cs_hold_for_sending_window(self, messages, business_days=True):
        """Keep the queued e-mails of ``messages`` ({invoice id of ``self``:
        message}) in the mail queue until the sending window of the
        invoice's company opens, when they were created outside it
        (:meth:`res.company._cs_get_send_opening`); the mail queue's job is
        woken up at that time. One search and one write per opening."""
        now = fields.Datetime.now()
        openings = {
            company: company._cs_get_send_opening(now, business_days)
            for company in self.company_id
        }
        by_message = {
            messages[move.id].id: openings[move.company_id]
            for move in self
            if openings[move.company_id]
        }
        if not by_message:
            return
        # sudo: the e-mails the current user just queued for these invoices
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", list(by_message)),
                    ("state", "=", "outgoing"),
                ]
            )
        )
        by_opening = defaultdict(lambda: self.env["mail.mail"].sudo())
        for mail in mails:
            by_opening[by_message[mail.mail_message_id.id]] |= mail
        for opening, held in by_opening.items():
            held.write({"scheduled_date": opening})
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger(
            list(by_opening)
        )

    def _cs_get_author_ids(self, email_froms):
        """The billing sender of each invoice signs its e-mail when it is
        sent from the sender's address (the shipped templates); never
        OdooBot, even when a scheduled job sends it."""
        authors = super()._cs_get_author_ids(email_froms)
        root = self.env.ref("base.partner_root").id
        for move in self.browse(list(email_froms)):
            sender = move.cs_billing_sender_id
            email_from = email_froms[move.id]
            if (
                not email_from
                or authors[move.id] == root
                or sender.email_normalized in tools.email_normalize_all(email_from)
            ):
                authors[move.id] = sender.id
        return authors

    def _cs_try_get_invoice_pdf_ids(self):
        """The invoices' PDFs, as :meth:`_cs_get_invoice_pdf_ids`, never
        failing: when a PDF cannot be produced (no wkhtmltopdf, a report
        error), the stored ones only, and the reason. A run logs each reason
        once, not once per invoice."""
        if not self.env.registry.ready:
            # a module being installed (the demo's dunning run): no web server
            # answers wkhtmltopdf's requests for the styles yet, and a PDF
            # rendered now would be kept without its layout
            return self.invoice_pdf_report_id.ids, self.env._(
                "PDFs are not produced while modules are being installed."
            )
        try:
            with self.env.cr.savepoint():
                return self._cs_get_invoice_pdf_ids(), False
        except psycopg2.Error:
            # the database's problem (a lock, a serialization failure), not
            # the PDF's: the batch fails and the scheduler retries it
            raise
        except Exception as error:  # noqa: BLE001 - any report error, see above
            reason = str(error) or error.__class__.__name__
            warned = self.env.context.get("cs_pdf_warned")
            if warned is None:  # outside a run: once per transaction
                warned = self.env.cr.cache.setdefault("cs_pdf_warned", set())
            if reason not in warned:
                warned.add(reason)
                _logger.warning(
                    "Dunning e-mails go out without the invoice PDF: %s", reason
                )
            return self.invoice_pdf_report_id.ids, reason

    def _cs_ensure_access_tokens(self):
        """Give the invoices their portal token in one query, not one each."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        # A fresh random token per row, as _portal_ensure_token would write.
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])
        # read back at once, not invoice by invoice when the links are made
        missing.fetch(["access_token"])

    def _cs_get_invoice_pdf_ids(self):
        """The ids of the invoices' PDFs, reusing the stored ones; the others
        are rendered and attached to their invoice."""
        stored = self.filtered("invoice_pdf_report_id")
        values = []
        for move in self - stored:
            content, _report_type = self.env["ir.actions.report"]._render(
                "account.account_invoices", move.ids
            )
            values.append(
                {
                    "name": f"{move._get_report_base_filename()}.pdf",
                    "raw": content,
                    "res_model": move._name,
                    "res_id": move.id,
                    "mimetype": "application/pdf",
                }
            )
        # sudo: attachments of invoices the sender may read, as message_post
        rendered = self.env["ir.attachment"].sudo().create(values)
        return stored.invoice_pdf_report_id.ids + rendered.ids

    def _cs_get_communication_problems(self):
        """Payers of ``self`` that cannot be reached by e-mail, with the reason.

        A payer without address, archived, flagged, or whose earlier invoice or
        dunning e-mail bounced or failed (since the flag was last cleared).
        """
        problems = {}
        payers = self.cs_payer_id
        for payer in payers:
            customer = payer.commercial_partner_id
            if not payer.active:
                problems[payer] = self.env._("The payer is archived.")
            elif not payer.email:
                problems[payer] = self.env._("The payer has no e-mail address.")
            elif payer.message_bounce:
                problems[payer] = self.env._("E-mails to the payer bounce.")
            elif customer.billing_comm_issue:
                problems[payer] = self.env._(
                    "A billing e-mail to the payer bounced or failed."
                )
        failed = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "in", self.ids),
                    ("res_partner_id", "in", (payers - payers.browse(problems)).ids),
                    ("notification_status", "in", ("bounce", "exception")),
                    # a mail server that is down is not the payer's problem
                    ("failure_type", "not in", SERVER_FAILURES),
                ]
            )
        )
        for notification in failed:
            customer = notification.res_partner_id.commercial_partner_id
            since = customer.billing_comm_checked_since
            if since and notification.mail_message_id.date <= since:
                continue
            problems[notification.res_partner_id] = self.env._(
                "An e-mail about the invoice %(invoice)s did not reach the payer.",
                invoice=self.browse(notification.mail_message_id.res_id).display_name,
            )
        return problems
