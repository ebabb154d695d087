# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestSentiment(CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.csm_id = cls.user_cs
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Outra Carteira",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
            }
        )
        # NPS and sentiment half and half; the other factors without weight
        for code, factor in cls.factors.items():
            factor.weight = 50 if code in ("nps", "sentiment") else 0

    def day(self, offset):
        return self.START + timedelta(days=offset)

    def record(self, value, on, customer=None, note=None):
        """A sentiment of ``customer`` recorded on day ``on`` by the CS user."""
        with freeze_time(on):
            return (
                self.env["cs.sentiment"]
                .with_user(self.user_cs)
                .create(
                    {
                        "partner_id": (customer or self.customer).id,
                        "value": value,
                        "note": note,
                    }
                )
            )

    def test_sentiment_counts_on_day_29_and_expires_on_day_31(self):
        """Good (100) and NPS 7 (70): 85 while the sentiment is valid, 30
        days: the day it was recorded (day 0) to day 29; expired from day 30,
        NPS alone: 70."""
        self.subscribe()
        self.nps(7)
        sentiment = self.record("good", self.day(0), note="Adorou a migração")
        self.assertEqual(sentiment.user_id, self.user_cs)
        self.assertEqual(sentiment.date, self.day(0))
        self.assertEqual(sentiment.expiry_date, self.day(29))
        self.run_health(self.day(29))
        customer = self.customer
        self.assertEqual(customer.health_score, 85.0)
        self.assertEqual(customer.health_factor_scores["sentiment"]["score"], 100.0)
        self.assertFalse(customer.health_reasons)
        with freeze_time(self.day(29)):
            customer.invalidate_recordset()
            self.assertEqual(customer.sentiment_value, "good")
            self.assertFalse(customer.sentiment_expired)
            self.assertFalse(sentiment.is_expired)
        with freeze_time(self.day(30)):
            sentiment.invalidate_recordset()
            self.assertTrue(sentiment.is_expired, "30 days: day 0 to day 29")
        self.run_health(self.day(31))
        self.assertEqual(customer.health_score, 70.0)
        self.assertIsNone(customer.health_factor_scores["sentiment"]["score"])
        self.assertEqual(customer.health_factor_scores["sentiment"]["effective"], 0.0)
        self.assertIn("sentiment expired on 02/04/2026", customer.health_reasons)
        with freeze_time(self.day(31)):
            customer.invalidate_recordset()
            sentiment.invalidate_recordset()
            self.assertTrue(customer.sentiment_expired)
            self.assertEqual(customer.sentiment_expiry_date, self.day(29))
            self.assertTrue(sentiment.is_expired)
            Sentiment = self.env["cs.sentiment"]
            self.assertEqual(Sentiment.search([("is_expired", "=", True)]), sentiment)
            self.assertFalse(Sentiment.search([("is_expired", "=", False)]))
        # a new sentiment counts again, at risk: 0, and a reason
        self.record("at_risk", self.day(31), note="Reclamou do preço")
        self.run_health(self.day(32))
        self.assertEqual(customer.health_score, 35.0)
        self.assertIn(
            "the success manager sees the customer at risk", customer.health_reasons
        )
        self.assertEqual(len(customer.sentiment_ids), 2, "every sentiment is kept")

    def test_validity_follows_the_company_and_must_be_positive(self):
        self.subscribe()
        self.nps(7)
        self.record("neutral", self.day(0))
        settings = self.env["res.config.settings"].create({})
        settings.cs_sentiment_validity_days = 10
        settings.execute()
        self.assertEqual(self.company.cs_sentiment_validity_days, 10)
        self.run_health(self.day(11))
        self.assertEqual(self.customer.health_score, 70.0, "expired after 10 days")
        for days in (0, -5):
            with self.assertRaisesText(ValidationError, "at least one day"):
                self.company.cs_sentiment_validity_days = days
        self.assertEqual(self.company.cs_sentiment_validity_days, 10)

    def test_bad_sentiments_are_refused(self):
        contact = self.env["res.partner"].create(
            {"name": "Joana", "parent_id": self.customer.id}
        )
        with self.assertRaisesText(ValidationError, "not to the contact"):
            self.env["cs.sentiment"].create(
                {"partner_id": contact.id, "value": "good", "date": self.day(0)}
            )
        with (
            freeze_time(self.day(0)),
            self.assertRaisesText(ValidationError, "in the future"),
        ):
            self.env["cs.sentiment"].create(
                {
                    "partner_id": self.customer.id,
                    "value": "good",
                    "date": self.day(1),
                }
            )
        self.assertFalse(self.customer.sentiment_ids)

    @users("cs_user")
    def test_record_sentiment_from_the_customer(self):
        customer = self.customer.with_user(self.env.user)
        action = customer.action_cs_record_sentiment()
        self.assertEqual(action["res_model"], "cs.sentiment")
        self.assertEqual(action["target"], "new")
        form = Form(self.env["cs.sentiment"].with_context(**action["context"]))
        form.value = "at_risk"
        form.note = "O sócio quer cancelar"
        sentiment = form.save()
        self.assertEqual(sentiment.partner_id, self.customer)
        self.assertEqual(sentiment.user_id, self.user_cs)
        self.assertEqual(customer.sentiment_value, "at_risk")
        self.assertEqual(customer.sentiment_user_id, self.user_cs)
        listed = customer.action_cs_view_sentiments()
        self.assertEqual(
            self.env["cs.sentiment"].search(listed["domain"]), sentiment, listed
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_sentiment_counts_in_the_customers_company(self):
        """Recorded from another current company, the sentiment belongs to
        the company that scores the customer."""
        other = self.env["res.company"].create({"name": "Outra Empresa"})
        self.user_cs.company_ids |= other
        customer = self.env["res.partner"].create(
            {
                "name": "Cliente da Outra",
                "is_company": True,
                "company_id": other.id,
                "csm_id": self.user_cs.id,
            }
        )
        sentiment = (
            self.env["cs.sentiment"]
            .with_user(self.user_cs)
            .with_company(self.company)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .create({"partner_id": customer.id, "value": "good"})
        )
        self.assertEqual(sentiment.company_id, other)
        mine = self.record("neutral", self.day(0))
        self.assertEqual(mine.company_id, self.company)

    def test_sentiments_follow_the_portfolio(self):
        mine = self.record("good", self.day(0))
        # sudo: the sentiment of another success manager's customer
        theirs = (
            self.env["cs.sentiment"]
            .sudo()
            .create(
                {
                    "partner_id": self.other.id,
                    "user_id": self.user_cs_other.id,
                    "value": "at_risk",
                    "date": self.day(0),
                }
            )
        )
        as_user = self.env["cs.sentiment"].with_user(self.user_cs)
        self.assertEqual(as_user.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_cs).read(["note"])
        with self.assertRaises(AccessError):
            as_user.create({"partner_id": self.other.id, "value": "good"})
        manager = self.env["cs.sentiment"].with_user(self.user_cs_manager)
        self.assertEqual(manager.search([]), mine | theirs)
        # a predecessor's judgement of my customer: read, not rewritten
        before = (
            self.env["cs.sentiment"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.user_cs_other.id,
                    "value": "neutral",
                    "note": "Antes da troca de gerente",
                    "date": self.day(0),
                }
            )
        )
        self.assertEqual(
            before.with_user(self.user_cs).note, "Antes da troca de gerente"
        )
        with self.assertRaises(AccessError):
            before.with_user(self.user_cs).write({"value": "good"})
        with self.assertRaises(AccessError):
            before.with_user(self.user_cs).unlink()
        mine.with_user(self.user_cs).write({"note": "Confirmado na ligação"})
        self.assertEqual(before.value, "neutral")
        before.with_user(self.user_cs_manager).write({"value": "good"})
        # the other customer's sentiment still scores it: the engine reads all
        latest = (
            self.env["cs.sentiment"]
            .sudo()
            ._get_latest(self.other, self.day(0) + timedelta(days=1))
        )
        self.assertEqual(latest, {self.other: theirs})
