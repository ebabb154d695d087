# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import socket
import socketserver
import threading
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessBillingCommon


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP: accepts every message, refuses recipients whose
    address starts with "refused"."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost ready")
        recipients, data = [], None
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if data is not None:
                if command == ".":
                    self.server.messages.append((recipients, b"".join(data)))
                    recipients, data = [], None
                    self.reply("250 queued")
                else:
                    data.append(line)
            elif verb in ("EHLO", "HELO"):
                self.reply("250-localhost")
                self.reply("250 SIZE 10000000")
            elif verb == "MAIL":
                self.reply("250 ok")
            elif verb == "RCPT":
                if "<refused" in command.lower():
                    self.reply("550 no such user")
                else:
                    recipients.append(command)
                    self.reply("250 ok")
            elif verb == "DATA":
                data = []
                self.reply("354 go ahead")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


@tagged("post_install", "-at_install")
class TestDunningSmtpDown(CustomerSuccessBillingCommon):
    """The mail server goes down: dunning e-mails stay queued and leave when it
    is back; the log says queued, sent or failed, and only a payer's own
    failure raises a communication problem."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            cls.port = probe.getsockname()[1]
        cls.env["ir.mail_server"].sudo().create(
            {
                "name": "Local",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.port,
                "smtp_encryption": "none",
            }
        )
        # Odoo's tests never reach a mail server; these must
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.mail_server"]),
                "_disable_send",
                classmethod(lambda cls: False),
            )
        )

    def start_server(self):
        server = _SmtpServer(("127.0.0.1", self.port), _Smtp)
        server.messages = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def process_queue(self):
        self.env.flush_all()
        self.env["mail.mail"].sudo().process_email_queue()
        self.env.flush_all()
        self.env.invalidate_all()

    def log_of(self, invoice):
        return self.env["cs.dunning.log"].sudo().search([("move_id", "=", invoice.id)])

    @mute_logger(
        "odoo.addons.mail.models.mail_mail", "odoo.addons.base.models.ir_mail_server"
    )
    def test_server_down_then_back(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(3))
        log = self.log_of(invoice)
        self.assertEqual(log.state, "queued")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", log.message_id.id)])
        )
        self.assertEqual(mail.state, "outgoing")

        # down: nothing listens on the port
        self.process_queue()
        self.assertEqual(mail.state, "outgoing", "still queued, to be sent later")
        self.assertEqual(log.state, "queued")
        self.assertFalse(self.customer.billing_comm_issue, "not the payer's fault")

        # back: the queue sends it, once
        server = self.start_server()
        self.process_queue()
        self.process_queue()
        self.assertEqual(log.state, "sent")
        self.assertEqual(len(server.messages), 1)
        recipients, body = server.messages[0]
        self.assertIn("financeiro@nuvemalta.example.com", " ".join(recipients))
        self.assertIn(invoice.name.encode(), body)

    @mute_logger(
        "odoo.addons.mail.models.mail_mail", "odoo.addons.base.models.ir_mail_server"
    )
    def test_refused_recipient_fails_and_flags_the_payer(self):
        self.payer.email = "refused@nuvemalta.example.com"
        invoice = self.create_invoice()
        self.run_dunning(self.day(3))
        self.start_server()
        self.process_queue()
        log = self.log_of(invoice)
        self.assertEqual(log.state, "failed")
        self.assertTrue(log.blocked_reason)
        problems = invoice._cs_get_communication_problems()
        self.assertIn(self.payer, problems)
