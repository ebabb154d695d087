# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import sys
from pathlib import Path
from types import ModuleType

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_every_test_file_is_loaded(self):
        """Odoo runs only the test files its ``tests`` package imports: a file
        left out of ``tests/__init__.py`` would never run, and never fail.
        (Whether the addon installed at all, its own tests cannot tell:
        scripts/odoo_harness.py checks it.)"""
        package = sys.modules[__package__]
        on_disk = {
            path.stem for path in Path(package.__file__).parent.glob("test_*.py")
        }
        loaded = {
            name
            for name, value in vars(package).items()
            if isinstance(value, ModuleType) and name.startswith("test_")
        }
        self.assertTrue(on_disk)
        self.assertEqual(on_disk - loaded, set(), "not imported by tests/__init__.py")

    def test_manager_group_implies_user_group(self):
        manager = self.env.ref("customer_success.customer_success_group_manager")
        user = self.env.ref("customer_success.customer_success_group_user")
        self.assertIn(user, manager.all_implied_ids)
        self.assertNotIn(manager, user.all_implied_ids)
        self.assertEqual(
            manager.privilege_id,
            self.env.ref("customer_success.res_groups_privilege_customer_success"),
        )
        self.assertEqual(manager.privilege_id, user.privilege_id)

    def test_admin_is_manager(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(
            admin.has_group("customer_success.customer_success_group_manager")
        )

    def test_settings_section_renders(self):
        view = self.env["res.config.settings"].get_views([(False, "form")])
        arch = view["views"]["form"]["arch"]
        self.assertIn('name="customer_success"', arch)
        self.assertIn('name="cs_default_team_id"', arch)
        self.assertIn('name="cs_dunning_policy_id"', arch)

    def test_default_policy_ships_with_its_steps(self):
        policy = self.env.ref("customer_success.cs_dunning_policy_default")
        self.assertEqual(policy.step_ids.mapped("offset_days"), [-5, 0, 3, 10, 20])
        self.assertEqual(
            policy.payment_template_id,
            self.env.ref("customer_success.mail_template_payment_received"),
        )
        final = policy.step_ids[-1]
        self.assertEqual(final.action, "email", "its call is the play's")
        self.assertTrue(final.is_final)
        self.assertFalse(policy.step_ids[:-1].filtered("is_final"))
        play_rule = self.env.ref(
            "customer_success.base_automation_cs_play_dunning_final"
        )
        self.assertTrue(play_rule.active)
        self.assertEqual(self.env.ref("base.main_company").cs_dunning_policy_id, policy)
        cron = self.env.ref("customer_success.ir_cron_cs_dunning")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
