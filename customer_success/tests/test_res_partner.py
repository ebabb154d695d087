# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessCommon


@tagged("post_install", "-at_install")
class TestResPartner(CustomerSuccessCommon):
    def test_team_follows_csm(self):
        self.customer.csm_id = self.user_cs
        self.assertEqual(self.customer.cs_team_id, self.team_ongoing)
        self.customer.csm_id = self.user_cs_manager  # leader of the same team
        self.assertEqual(self.customer.cs_team_id, self.team_ongoing)

    def test_team_falls_back_to_company_default(self):
        self.customer.csm_id = self.user_cs_other  # in no team
        self.assertEqual(self.customer.cs_team_id, self.team_default)
        self.customer.csm_id = False
        self.assertEqual(self.customer.cs_team_id, self.team_default)

    def test_team_can_be_set_by_hand(self):
        self.customer.csm_id = self.user_cs
        self.customer.cs_team_id = self.team_default
        self.assertEqual(self.customer.cs_team_id, self.team_default)

    def test_contacts_share_the_customer_relationship(self):
        contact = self.env["res.partner"].create(
            {"name": "Beatriz Rocha", "parent_id": self.customer.id}
        )
        self.customer.csm_id = self.user_cs
        self.assertEqual(contact.csm_id, self.user_cs)
        self.assertEqual(contact.cs_team_id, self.team_ongoing)

    def test_csm_change_is_tracked(self):
        self.flush_tracking()  # close the creation of the customer first
        customer = self.customer.with_context(
            tracking_disable=False, mail_notrack=False
        )
        customer.csm_id = self.user_cs
        self.flush_tracking()
        tracking = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "csm_id"),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.new_value_char, self.user_cs.name)

    def test_csm_through_form_as_cs_user(self):
        with Form(self.customer.with_user(self.user_cs)) as form:
            form.csm_id = self.user_cs
            self.assertEqual(form.cs_team_id, self.team_ongoing)
        self.assertEqual(self.customer.csm_id, self.user_cs)

    def test_settings_set_default_team(self):
        other = self.env["cs.team"].create({"name": "Tech Touch Pool"})
        settings = Form(self.env["res.config.settings"])
        settings.cs_default_team_id = other
        settings.save().execute()
        self.assertEqual(self.company.cs_default_team_id, other)
        partner = self.env["res.partner"].create({"name": "Sem Gerente Ltda"})
        self.assertEqual(partner.cs_team_id, other)

    @mute_logger("odoo.sql_db")
    def test_duplicate_team_name_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["cs.team"].create({"name": "Ongoing"})
        self.assertEqual(
            self.env["cs.team"].search_count([("name", "=", "Ongoing")]), 1
        )

    def test_form_opens_for_every_internal_user(self):
        self.env["sale.subscription"].create(
            {
                "partner_id": self.customer.id,
                "template_id": self.env["sale.subscription.template"]
                .create({"name": "Mensal"})
                .id,
                "pricelist_id": self.env["product.pricelist"]
                .create({"name": "BRL"})
                .id,
            }
        )
        for user in (self.user_internal, self.user_accountant, self.user_cs):
            with self.subTest(user=user.login):
                form = Form(self.customer.with_user(user))
                self.assertEqual(form.name, "Nuvem Alta Hospedagem")
        accountant_form = Form(self.customer.with_user(self.user_accountant))
        self.assertEqual(accountant_form.subscription_count, 1)
