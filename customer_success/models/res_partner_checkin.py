# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date


class ResPartner(models.Model):
    """Check-ins: the touches of a customer and the daily check-in run."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    last_touch_date = fields.Date(
        string="Last Touch",
        copy=False,
        help="Last check-in done, automated check-in e-mail sent, or hand-off.",
    )
    checkin_count = fields.Integer(
        string="Check-ins", copy=False, help="Check-ins done or e-mailed so far."
    )
    cs_no_touch = fields.Boolean(
        string="No Touch for Twice the Cadence",
        copy=False,
        readonly=True,
        help="The last touch is older than twice the check-in cadence of the "
        "touch model. Set by the daily check-in run (its rise runs the play *No "
        "touch for twice the cadence*), cleared by the next touch.",
    )
    open_checkin_count = fields.Integer(
        string="Open Check-ins", compute="_compute_checkin_counts"
    )
    overdue_checkin_count = fields.Integer(
        string="Overdue Check-ins", compute="_compute_checkin_counts"
    )

    def _compute_checkin_counts(self):
        today = fields.Date.context_today(self)
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        checkins = Domain(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self._origin.ids),
                ("activity_type_id", "=", checkin_type.id),
            ]
        )
        # the activities of the customer's CSM are not all readable by everyone
        Activity = self.env["mail.activity"].sudo()
        counts = [
            dict(
                Activity._read_group(domain, groupby=["res_id"], aggregates=["__count"])
            )
            for domain in (checkins, checkins & Domain("date_deadline", "<", today))
        ]
        for partner in self:
            partner.open_checkin_count = counts[0].get(partner._origin.id, 0)
            partner.overdue_checkin_count = counts[1].get(partner._origin.id, 0)

    @api.model
    def _cron_cs_checkin(self, batch_size=200):
        """Daily check-ins, following the cadence of each touch model.

        Mid-, high- and exclusive-touch customers (models with check-in
        activities) get a check-in activity for their success manager; tech-
        and low-touch customers (automated e-mails) get a check-in or a "how is
        it going?" e-mail. None when a check-in is open or one was done within
        the cadence. Batches are locked with ``try_lock_for_update`` and
        committed with ``_commit_progress``: re-running, or two workers at
        once, creates nothing twice. Then the customers left untouched for
        twice the cadence are flagged (:meth:`_cs_flag_untouched`).
        """
        today = fields.Date.context_today(self)
        self._cs_run_domain_in_batches(
            self._cs_get_checkin_domain(today),
            lambda customers: customers._cs_run_checkin(today),
            batch_size,
        )
        self._cs_flag_untouched(today, batch_size)

    @api.model
    def _cs_get_untouched_domain(self, today):
        """Customers whose last touch, on ``today``, is older than twice the
        check-in cadence of their touch model (as the engagement factor of
        the health score judges it); none while onboarded."""
        per_model = [
            Domain("touch_model_id", "=", model.id)
            & Domain(
                "last_touch_date",
                "<",
                today - timedelta(days=2 * model.checkin_interval),
            )
            for model in self.env["cs.touch.model"].search(
                [("checkin_mode", "!=", "none")]
            )
        ]
        return (
            Domain("parent_id", "=", False)
            & Domain("onboarding_state", "!=", "in_progress")
            & Domain.OR(per_model)
        )

    @api.model
    def _cs_flag_untouched(self, today, batch_size=200):
        """Keep ``cs_no_touch`` true exactly for the customers untouched for
        twice their cadence on ``today``: a few queries whatever the number
        of customers. Those it rises for run the automation rule of the play
        *No touch for twice the cadence* (in locked, committed batches: one
        call to action each, once); a touch clears it (:meth:`_cs_touch`),
        and so does a cadence that changed."""
        untouched = self._cs_get_untouched_domain(today)
        self.search(Domain("cs_no_touch", "=", True) & ~untouched).write(
            {"cs_no_touch": False}
        )
        self._cs_run_domain_in_batches(
            untouched & Domain("cs_no_touch", "=", False),
            lambda customers: customers.write({"cs_no_touch": True}),
            batch_size,
        )

    @api.model
    def _cs_get_checkin_domain(self, today):
        """Customers due for a check-in on ``today``."""
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        per_model = []
        for model in self.env["cs.touch.model"].search(
            [("checkin_mode", "!=", "none")]
        ):
            since = today - timedelta(days=model.checkin_interval)
            rule = Domain("touch_model_id", "=", model.id) & (
                Domain("last_touch_date", "=", False)
                | Domain("last_touch_date", "<=", since)
            )
            if model.checkin_mode == "activity":
                rule &= Domain("csm_id", "!=", False)
            else:
                rule &= Domain("email", "!=", False)
            per_model.append(rule)
        return (
            Domain("parent_id", "=", False)
            & Domain("onboarding_state", "!=", "in_progress")
            & Domain.OR(per_model)
            & Domain(
                "activity_ids",
                "not any",
                [("activity_type_id", "=", checkin_type.id)],
            )
        )

    def _cs_run_checkin(self, today):
        """Create the check-in of each customer of ``self``."""
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        by_activity = self.filtered(
            lambda partner: partner.touch_model_id.checkin_mode == "activity"
        )
        # no "you have been assigned" e-mail per check-in: CSMs find them in
        # their activities, and the daily run would flood their inbox
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                partner._cs_prepare_checkin_activity_values(checkin_type, today)
                for partner in by_activity
            ]
        )
        for partner in self - by_activity:
            model = partner.touch_model_id
            template = (
                model.pulse_template_id
                if partner.checkin_count % 2 and model.pulse_template_id
                else model.checkin_template_id
            )
            partner._cs_post_template(template, partner)
            partner._cs_touch(today)

    def _cs_prepare_checkin_activity_values(self, activity_type, deadline):
        """Values of the check-in activity of this customer's CSM."""
        self.ensure_one()
        reader = self.with_context(lang=self.csm_id.lang or self.env.lang)
        return {
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": self.csm_id.id,
            "date_deadline": deadline,
            # the activity is read by the CSM: in their language
            "summary": reader.env._(
                "%(model)s check-in", model=reader.touch_model_id.name
            ),
        }

    def _cs_touch(self, day):
        """Record a touch with these customers on ``day``."""
        for partner in self.commercial_partner_id:
            partner.write(
                {
                    "last_touch_date": max(partner.last_touch_date or day, day),
                    "checkin_count": partner.checkin_count + 1,
                    "cs_no_touch": False,
                }
            )

    def _cs_get_no_touch_note(self):
        """What a call to action of the play *No touch for twice the cadence*
        says of this customer: its last touch and its cadence, in the
        language of the context."""
        self.ensure_one()
        model = self.touch_model_id
        return self.env._(
            "last touch on %(date)s, %(days)s days ago; %(model)s checks in "
            "every %(interval)s days",
            date=format_date(self.env, self.last_touch_date),
            days=(fields.Date.context_today(self) - self.last_touch_date).days
            if self.last_touch_date
            else "-",
            model=model.name or "-",
            interval=model.checkin_interval,
        )
