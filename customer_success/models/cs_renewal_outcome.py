# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import mute_logger

from .sale_subscription_renewal import FORECASTS


class CsRenewalOutcome(models.Model):
    """What became of a forecast renewal: the forecast the subscription had
    just before its renewal date passed, and whether it renewed (its next
    period invoiced) or churned (closed). One per subscription and renewal
    date; the forecast against the actual, by month."""

    _name = "cs.renewal.outcome"
    _inherit = ["cs.cron.mixin"]
    _description = "Renewal Outcome"
    _order = "renewal_date desc, id desc"
    _rec_name = "subscription_id"

    subscription_id = fields.Many2one(
        "sale.subscription", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    renewal_date = fields.Date(
        required=True,
        readonly=True,
        help="The day the subscription was up for renewal: the end of the "
        "period paid, the day a cancelled one closes.",
    )
    arr = fields.Monetary(
        string="ARR", readonly=True, help="The ARR up for renewal on that day."
    )
    forecast = fields.Selection(
        FORECASTS,
        readonly=True,
        help="The renewal forecast of the subscription just before its renewal "
        "date passed (invoiced or closed).",
    )
    forecast_by_csm = fields.Boolean(
        string="Forecast Set by the Success Manager", readonly=True
    )
    result = fields.Selection(
        [("pending", "Pending"), ("renewed", "Renewed"), ("churned", "Churned")],
        string="Actual",
        required=True,
        default="pending",
        readonly=True,
        help="Renewed: still running, its next period invoiced. Churned: "
        "closed. Pending: neither yet (its invoice is late).",
    )
    date_result = fields.Date(string="Known On", readonly=True)
    renewed_count = fields.Integer(
        string="Subscriptions Renewed", compute="_compute_result_figures", store=True
    )
    churned_count = fields.Integer(
        string="Subscriptions Churned", compute="_compute_result_figures", store=True
    )
    renewed_arr = fields.Monetary(
        string="ARR Renewed", compute="_compute_result_figures", store=True
    )
    churned_arr = fields.Monetary(
        string="ARR Churned", compute="_compute_result_figures", store=True
    )

    _subscription_renewal_uniq = models.UniqueIndex(
        "(subscription_id, renewal_date)",
        "A renewal of a subscription is recorded once.",
    )

    @api.depends("result", "arr")
    def _compute_result_figures(self):
        for outcome in self:
            renewed = outcome.result == "renewed"
            churned = outcome.result == "churned"
            outcome.renewed_count = int(renewed)
            outcome.churned_count = int(churned)
            outcome.renewed_arr = outcome.arr if renewed else 0.0
            outcome.churned_arr = outcome.arr if churned else 0.0

    # ------------------------------------------------------------------
    # Recording
    # ------------------------------------------------------------------

    @api.model
    def _get_due_domain(self, today):
        """The forecast subscriptions whose renewal date has come and whose
        outcome is not being recorded yet."""
        return (
            Domain("cs_renewal_forecast", "!=", False)
            & Domain("stage_id.type", "=", "in_progress")
            & (
                Domain("cs_renewal_date", "<=", today)
                | Domain("cs_cancel_date", "<=", today)
            )
            & Domain("cs_renewal_outcome_ids", "not any", [("result", "=", "pending")])
        )

    @api.model
    def _record_for(self, subscriptions, until=None):
        """Record the forecast of each of ``subscriptions`` for its renewal
        date, when it has one, on or before ``until`` (any date when not
        given), after its first period, and none is recorded for that date
        yet. Returns the outcomes created (pending)."""
        values = []
        keys = set()
        subscriptions = subscriptions.sudo()
        recorded = {
            (outcome.subscription_id.id, outcome.renewal_date)
            for outcome in self.sudo().search(
                [("subscription_id", "in", subscriptions.ids)]
            )
        }
        for subscription in subscriptions:
            day = subscription._cs_get_outcome_renewal_date()
            if (
                not day
                or not subscription.cs_renewal_forecast
                or (until and day > until)
                or (subscription.date_start and day <= subscription.date_start)
                or (subscription.id, day) in recorded | keys
            ):
                continue
            keys.add((subscription.id, day))
            values.append(self._prepare_outcome_values(subscription, day))
        if not values:
            return self.browse()
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return self.sudo().create(values)
        except IntegrityError:
            # another worker recorded some of them meanwhile: the others
            created = self.browse()
            for vals in values:
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        created |= self.sudo().create(vals)
                except IntegrityError:
                    continue
            return created

    @api.model
    def _prepare_outcome_values(self, subscription, day):
        """The values of the outcome of ``subscription``'s renewal on
        ``day``, as the subscription stands now."""
        customer = subscription.cs_commercial_partner_id
        return {
            "subscription_id": subscription.id,
            "partner_id": customer.id,
            "company_id": subscription.company_id.id,
            "user_id": customer.csm_id.id,
            "renewal_date": day,
            "arr": subscription.cs_arr or subscription.cs_paused_mrr * 12,
            "forecast": subscription.cs_renewal_forecast,
            "forecast_by_csm": bool(subscription.cs_renewal_forecast_set),
        }

    def _resolve(self, today):
        """Renewed when the subscription still runs past the renewal date
        (its next period invoiced, not paused), churned when it closed;
        otherwise still pending."""
        renewed = self.browse()
        churned = {}
        for outcome in self.filtered(lambda o: o.result == "pending"):
            subscription = outcome.subscription_id
            if subscription.stage_id.type == "post":
                day = subscription.cs_close_date or today
                churned.setdefault(day, self.browse())
                churned[day] |= outcome
            elif (
                subscription.stage_id.type == "in_progress"
                and not subscription.is_paused
                and subscription.recurring_next_date
                and subscription.recurring_next_date > outcome.renewal_date
                and not (
                    subscription.cs_cancel_date
                    and subscription.cs_cancel_date <= outcome.renewal_date
                )
            ):
                renewed |= outcome
        renewed.write({"result": "renewed", "date_result": today})
        for day, outcomes in churned.items():
            outcomes.write({"result": "churned", "date_result": day})

    @api.model
    def _cron_cs_renewal_outcome(self, batch_size=200):
        """Daily: record the forecast of the subscriptions whose renewal date
        came (invoicing and closing record it first, when they come before
        the run), then settle the pending outcomes. Batches are locked with
        ``try_lock_for_update`` and committed with ``_commit_progress``; one
        outcome per subscription and renewal date (a unique index), so a
        re-run or a second worker records nothing twice."""
        today = fields.Date.context_today(self)
        self.env["sale.subscription"].sudo()._cs_run_domain_in_batches(
            self._get_due_domain(today),
            lambda batch: self._record_for(batch, until=today),
            batch_size,
        )
        self.sudo()._cs_run_domain_in_batches(
            [("result", "=", "pending")],
            lambda batch: batch._resolve(today),
            batch_size,
        )
