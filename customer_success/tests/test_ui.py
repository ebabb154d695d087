# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_cs = new_test_user(
            cls.env,
            login="tour_cs_user",
            password="tour_cs_user",
            name="Carla Souza",
            groups="customer_success.customer_success_group_user",
        )
        cls.env["res.partner"].create(
            {
                "name": "Tour Hosting Ltda",
                "is_company": True,
                "csm_id": cls.user_cs.id,
            }
        )

    def test_cs_user_opens_the_app(self):
        self.start_tour("/odoo", "customer_success_open_app", login="tour_cs_user")
