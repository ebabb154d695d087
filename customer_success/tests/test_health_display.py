# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from lxml import etree

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import CustomerSuccessVoiceCommon


class HealthViewsMixin:
    """Evaluate the ``invisible`` expressions of a view against a record, as
    the web client does, to tell what the record shows."""

    def arch(self, view_type, view_xmlid=None):
        view_id = self.env.ref(view_xmlid).id if view_xmlid else False
        # as a success manager: the health fields are theirs only
        views = (
            self.env["res.partner"]
            .with_user(self.user_cs)
            .get_views([(view_id, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    def visible(self, node, record):
        """Whether ``node`` and its ancestors are visible for ``record``."""
        while node is not None:
            expression = node.get("invisible")
            if expression and safe_eval(expression, self.eval_context(record)):
                return False
            node = node.getparent()
        return True

    def eval_context(self, record):
        context = {"id": record.id}
        for name in record._fields:
            field = record._fields[name]
            if field.type in ("one2many", "many2many", "binary", "html", "json"):
                continue
            value = record[name]
            context[name] = value.id if field.type == "many2one" else value
        return context

    def shown_banners(self, record):
        """(colour, heading) of the health banners the form shows for
        ``record``."""
        banners = self.arch("form").xpath(
            "//div[contains(@class, 'alert')][.//field[@name='health_score']]"
        )
        return [
            (
                next(c for c in banner.get("class").split() if c.startswith("alert-")),
                banner.findtext("strong"),
            )
            for banner in banners
            if self.visible(banner, record)
        ]


@tagged("post_install", "-at_install")
class TestHealthDisplay(HealthViewsMixin, CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code, factor in cls.factors.items():
            factor.weight = 100 if code == "nps" else 0

    def day(self, offset):
        return self.START + timedelta(days=offset)

    def stored_score(self, table, column, where_column, record_id):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s = %s",
                SQL.identifier(column),
                SQL.identifier(table),
                SQL.identifier(where_column),
                record_id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_never_scored_customer_shows_not_scored_yet(self):
        customer = self.customer
        self.assertFalse(customer.health_date, "never scored")
        self.assertEqual(customer.health_status, "none")
        labels = dict(
            customer._fields["health_status"]._description_selection(self.env)
        )
        self.assertEqual(labels["none"], "Not scored yet")
        band = customer.fields_get(["health_band"], ["falsy_value_label"])
        self.assertEqual(
            band["health_band"]["falsy_value_label"],
            "Not scored yet",
            "grouped by health, customers without band are Not scored yet",
        )
        self.assertEqual(
            self.stored_score("res_partner", "health_score", "id", customer.id),
            [None],
            "no score is stored, not 0",
        )
        for view_type, xmlid in (
            ("form", None),
            ("list", "customer_success.res_partner_view_list"),
            ("kanban", "customer_success.res_partner_view_kanban"),
        ):
            with self.subTest(view=view_type):
                arch = self.arch(view_type, xmlid)
                scores = arch.xpath("//field[@name='health_score']")
                self.assertTrue(scores)
                self.assertFalse(
                    [node for node in scores if self.visible(node, customer)],
                    "the 0 of a customer never scored is hidden",
                )
                statuses = arch.xpath("//field[@name='health_status'][@widget='badge']")
                self.assertTrue(
                    [node for node in statuses if self.visible(node, customer)],
                    "the Not scored yet badge shows",
                )
        self.assertFalse(self.shown_banners(customer))

    def test_customer_scored_without_data_stays_out_of_the_averages(self):
        Partner = self.env["res.partner"]
        bare = Partner.create({"name": "Sem Dados", "is_company": True})
        self.subscribe()
        self.subscribe(bare)
        self.nps(8)
        self.run_health(self.day(40))
        self.assertEqual(self.customer.health_score, 80.0)
        self.assertEqual(bare.health_date, self.day(40), "scored...")
        self.assertFalse(bare.health_band, "...without data on any factor")
        self.assertEqual(bare.health_status, "none")
        self.assertEqual(
            self.stored_score("res_partner", "health_score", "id", bare.id), [None]
        )
        self.assertEqual(
            self.stored_score("cs_health_snapshot", "score", "partner_id", bare.id),
            [None],
        )
        both = (self.customer | bare).ids
        [(average,)] = Partner._read_group(
            [("id", "in", both)], aggregates=["health_score:avg"]
        )
        self.assertEqual(average, 80.0, "a customer without score is not a 0")
        [(average,)] = self.env["cs.health.snapshot"]._read_group(
            [("partner_id", "in", both)], aggregates=["score:avg"]
        )
        self.assertEqual(average, 80.0)

    def test_trend_ignores_a_day_without_data(self):
        self.subscribe()
        self.run_health(self.day(10))
        self.assertFalse(self.customer.health_band)
        self.nps(8, on=self.day(20))
        self.run_health(self.day(40))
        self.assertEqual(self.customer.health_score, 80.0)
        self.assertEqual(
            self.customer.health_trend, 0.0, "no score 30 days ago: no change"
        )

    def test_banner_follows_the_band(self):
        for band, reasons, expected in (
            ("green", False, []),
            ("yellow", False, [("alert-warning", "Attention")]),
            (
                "yellow",
                [{"code": "nps_detractor", "score": 4}],
                [("alert-warning", "Attention")],
            ),
            ("red", [{"code": "overdue", "count": 1}], [("alert-danger", "At risk")]),
            ("red", False, [("alert-danger", "At risk")]),
        ):
            with self.subTest(band=band, reasons=reasons):
                self.customer.write(
                    {
                        "health_band": band,
                        "health_score": 50.0,
                        "health_reason_data": reasons,
                        "health_at_risk": band == "red"
                        or (band == "yellow" and bool(reasons)),
                    }
                )
                self.assertEqual(self.shown_banners(self.customer), expected)
                self.assertEqual(self.customer.health_status, band)
