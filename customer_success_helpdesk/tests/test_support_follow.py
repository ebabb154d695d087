# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import SupportCommon


@tagged("post_install", "-at_install")
class TestSupportFollow(SupportCommon):
    """The success manager follows the customer's tickets, reads them, and
    hears of a support surge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.surge_type = cls.env.ref(
            "customer_success_helpdesk.mail_activity_type_cs_support_surge"
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Serra Azul Dados",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
            }
        )

    def surges(self, customer=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (customer or self.customer).id),
                ("activity_type_id", "=", self.surge_type.id),
            ]
        )

    def test_the_success_manager_follows_a_new_ticket(self):
        ticket = self.open_ticket()
        self.assertIn(self.user_cs.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.cs_csm_id, self.user_cs)
        # a ticket of a contact without a company, or of nobody: no follower
        # added, no error
        lone = self.open_ticket(partner=self.env["res.partner"].create({"name": "Zé"}))
        self.assertNotIn(self.user_cs.partner_id, lone.message_partner_ids)

    def test_a_ticket_by_e_mail_is_followed_and_counts(self):
        # the customer's contact writes to the helpdesk: the mail gateway
        # opens the ticket (helpdesk_mgmt's message_new), its success
        # manager follows it
        raw = (
            "From: Júlia Pires <julia@nuvemalta.example.com>\r\n"
            "To: suporte@empresa.example.com\r\n"
            "Subject: Painel fora do ar\r\n"
            "Message-ID: <painel-1@nuvemalta.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "O painel não abre desde cedo.\r\n"
        )
        ticket_id = (
            self.env["mail.thread"]
            .sudo()
            .message_process("helpdesk.ticket", raw.encode())
        )
        ticket = self.env["helpdesk.ticket"].sudo().browse(ticket_id)
        self.assertEqual(ticket.name, "Painel fora do ar")
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertIn(self.user_cs.partner_id, ticket.message_partner_ids)
        self.assertEqual(self.customer.cs_open_ticket_count, 1)

    def test_a_new_success_manager_takes_the_open_tickets_over(self):
        open_one = self.open_ticket()
        closed = self.open_ticket(closed=True)
        self.customer.csm_id = self.user_cs_other
        self.assertIn(self.user_cs_other.partner_id, open_one.message_partner_ids)
        self.assertNotIn(self.user_cs.partner_id, open_one.message_partner_ids)
        # a closed ticket's followers stay as they were
        self.assertIn(self.user_cs.partner_id, closed.message_partner_ids)
        self.assertNotIn(self.user_cs_other.partner_id, closed.message_partner_ids)

    def test_the_success_manager_reads_the_tickets_of_the_portfolio_only(self):
        mine = self.open_ticket()
        theirs = self.open_ticket(partner=self.other_customer)
        # the portfolio rule, not the follower rule of helpdesk_mgmt
        mine.sudo().message_unsubscribe(partner_ids=self.user_cs.partner_id.ids)
        self.env.invalidate_all()
        as_csm = self.env["helpdesk.ticket"].with_user(self.user_cs)
        self.assertEqual(as_csm.search([]), mine)
        # the form opens, read only
        form = Form(mine.with_user(self.user_cs))
        self.assertEqual(form.name, mine.name)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_cs).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_cs).read(["name"])
        # the customer's form counts what they may open
        customer = self.customer.with_user(self.user_cs)
        self.assertEqual(customer.cs_open_ticket_count, 1)
        self.assertEqual(customer.cs_ticket_ids, mine)
        self.assertTrue(customer.cs_show_ticket_button)
        action = customer.action_cs_view_tickets()
        self.assertEqual(as_csm.search(action["domain"]), mine)
        # a customer success manager reads them all; a helpdesk agent has
        # the helpdesk's own button
        as_manager = self.env["helpdesk.ticket"].with_user(self.user_cs_manager)
        self.assertEqual(as_manager.search([]) & (mine | theirs), mine | theirs)
        self.assertFalse(self.customer.with_user(self.user_agent).cs_show_ticket_button)

    def test_three_tickets_in_seven_days_give_one_surge_activity(self):
        self.user_cs.lang = "en_US"
        self.open_ticket(days_ago=9)
        self.open_ticket(days_ago=6)
        self.open_ticket(days_ago=2)
        # the one of nine days ago is out of the seven
        self.assertFalse(self.surges())
        third = self.open_ticket()
        surge = self.surges()
        self.assertEqual(len(surge), 1)
        self.assertEqual(surge.user_id, self.user_cs)
        self.assertEqual(surge.summary, "3 tickets in 7 days")
        self.assertIn(third.display_name, str(surge.note))
        # a fourth updates it, no second one
        self.open_ticket()
        self.assertEqual(len(self.surges()), 1)
        self.assertEqual(self.surges().summary, "4 tickets in 7 days")

    def test_the_surge_speaks_the_success_managers_language(self):
        self._activate_lang("pt_BR")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_success_helpdesk"], ["pt_BR"], overwrite=True
        )
        self.user_cs.lang = "pt_BR"
        for _index in range(3):
            self.open_ticket()
        self.assertEqual(self.surges().summary, "3 chamados em 7 dias")

    def test_the_surge_follows_the_company_setting(self):
        self.company.cs_support_surge_count = 2
        self.company.cs_support_surge_days = 1
        self.open_ticket(days_ago=2)
        self.open_ticket()
        self.assertFalse(self.surges())
        self.open_ticket()
        self.assertEqual(self.surges().summary, "2 tickets in 1 day")

    def test_a_customer_nobody_serves_gets_the_agent_or_nothing(self):
        lone = self.env["res.partner"].create(
            {"name": "Ninguém Ltda", "is_company": True}
        )
        self.company.cs_default_team_id = False
        # helpdesk_mgmt gives a new ticket to the user who opens it, unless told
        # not to: nobody opens these
        self.company.helpdesk_mgmt_ticket_auto_assign = False
        for _index in range(3):
            self.open_ticket(partner=lone)
        # nobody to tell: no activity, and the tickets are opened
        self.assertFalse(self.surges(lone))
        # the agent of the newest ticket, when it is given one as it is opened
        self.env["helpdesk.ticket"].sudo().create(
            {
                "name": "Again",
                "description": "<p>Again.</p>",
                "partner_id": lone.id,
                "user_id": self.user_agent.id,
            }
        )
        self.assertEqual(self.surges(lone).user_id, self.user_agent)

    def test_bad_surge_settings_are_refused(self):
        for values, text in (
            ({"cs_support_surge_count": 1}, "at least two tickets"),
            ({"cs_support_surge_days": 0}, "1 to 90 days"),
            ({"cs_support_surge_days": 91}, "1 to 90 days"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(ValidationError, text),
            ):
                self.company.write(values)
        self.assertEqual(
            (self.company.cs_support_surge_count, self.company.cs_support_surge_days),
            (3, 7),
        )
