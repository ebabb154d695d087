# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import LazyTranslate, format_date, formatLang

from ..const import HEALTH_BANDS, HEALTH_STATUSES

_lt = LazyTranslate(__name__)

# the thresholds of the shipped plays on the health run's signals: a customer
# crossing one goes through write(), which runs their automation rules
HEALTH_DROP_POINTS = 20
USAGE_DROP_PERCENT = 50
# the share of the plan's users a customer's active users reach when its
# seats are full enough to suggest the next plan
SEATS_FULL_PERCENT = 90


class ResPartner(models.Model):
    """The health of a customer: the stored result of the last score, the
    daily run and the follow-up of a customer turning red. The engine is
    on ``cs.health.snapshot`` and ``cs.health.factor``."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Health (never shown outside the customer success team)
    health_score = fields.Float(
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="customer_success.customer_success_group_user",
        help="Empty (not 0) while the customer has no score: averages leave it out.",
    )
    health_band = fields.Selection(
        HEALTH_BANDS,
        readonly=True,
        copy=False,
        tracking=True,
        # the export reads no field attribute but string, help and selection:
        # _lt puts the group-by label of "no band" in the .pot
        falsy_value_label=_lt("Not scored yet"),  # pylint: disable=translation-field
        groups="customer_success.customer_success_group_user",
    )
    health_status = fields.Selection(
        HEALTH_STATUSES,
        string="Health",
        compute="_compute_health_status",
        groups="customer_success.customer_success_group_user",
        help="The band of the last score, or Not scored yet: never scored, or "
        "scored without data on any factor.",
    )
    health_at_risk = fields.Boolean(
        string="At Risk",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_reason_data = fields.Json(
        string="Risk Reason Data",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
        help='The risk reasons of the last score: [{"code": "nps_detractor", '
        '"score": 4}, ...].',
    )
    health_reasons = fields.Text(
        string="Risk Reasons",
        compute="_compute_health_reasons",
        search="_search_health_reasons",
        groups="customer_success.customer_success_group_user",
        help="The risk reasons of the last score, in your language.",
    )
    health_date = fields.Date(
        string="Health Computed On",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_trend = fields.Float(
        string="Health Change (30 Days)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_drop_30d = fields.Float(
        string="Health Drop (30 Days)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
        help="The points the score lost in 30 days: the score of the nearest "
        "day on or before 30 days ago minus the last one (negative when it "
        "rose). The play Health drops by 20 points in 30 days fires on it.",
    )
    usage_drop_30d = fields.Float(
        string="Usage Drop (30 Days) %",
        digits=(16, 0),
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
        help="How much the usage fell, in percent: the largest fall of a usage "
        "metric over the last 30 days against the 30 before, as the usage "
        "factor of the health score reads it (falls under 20% are 0). The "
        "play Usage falls by half in 30 days fires on it.",
    )
    cs_seats_full_since = fields.Date(
        string="Seats Nearly Full Since",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
        help="Since when the active users of the customer have been 90% of "
        "the users of its plans or more, as the daily health run reads them "
        "(the newest active users pushed in the last 30 days); empty below. "
        "The play Seats at 90% of the plan for 14 days fires 14 days after "
        "it, and a milestone reached while it is set fires the play "
        "Milestone reached with the seats nearly full.",
    )
    health_factor_scores = fields.Json(
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_factor_moves = fields.Char(
        string="Change by Factor (30 Days)",
        compute="_compute_health_factor_moves",
        groups="customer_success.customer_success_group_user",
        help="How many points each factor added to or took from the score since "
        "the oldest score of the last 30 days: its score times the weight it "
        "counted with.",
    )
    health_details_html = fields.Html(
        string="Health Factors",
        compute="_compute_health_details_html",
        sanitize=False,
        groups="customer_success.customer_success_group_user",
    )
    health_snapshot_ids = fields.One2many(
        "cs.health.snapshot",
        "partner_id",
        groups="customer_success.customer_success_group_user",
    )

    @api.depends("health_band")
    def _compute_health_status(self):
        for partner in self:
            partner.health_status = partner.health_band or "none"

    @api.depends("health_reason_data")
    @api.depends_context("lang")
    def _compute_health_reasons(self):
        Factor = self.env["cs.health.factor"]
        for partner in self:
            partner.health_reasons = Factor._format_reasons(partner.health_reason_data)

    def _search_health_reasons(self, operator, value):
        return self.env["cs.health.factor"]._search_reason_domain(
            "health_reason_data", operator, value
        )

    @api.depends("health_factor_scores", "health_date")
    @api.depends_context("lang")
    def _compute_health_factor_moves(self):
        Snapshot = self.env["cs.health.snapshot"]
        scored = self.filtered("health_date")
        oldest = {}
        if scored:
            start = min(scored.mapped("health_date")) - timedelta(days=30)
            # every customer's scores of the window at once, oldest first
            for snapshot in Snapshot.search(
                [
                    ("partner_id", "in", scored.ids),
                    ("date", ">=", start),
                    ("band", "!=", False),
                ],
                order="date, id",
            ):
                partner = snapshot.partner_id
                if (
                    partner not in oldest
                    and partner.health_date - timedelta(days=30)
                    <= snapshot.date
                    < partner.health_date
                ):
                    oldest[partner] = snapshot.factor_scores
        for partner in self:
            partner.health_factor_moves = Snapshot._format_factor_moves(
                partner.health_band and partner.health_factor_scores,
                oldest.get(partner),
            )

    @api.depends("health_factor_scores")
    def _compute_health_details_html(self):
        Snapshot = self.env["cs.health.snapshot"]
        for partner in self:
            partner.health_details_html = Snapshot._render_factors(
                partner.health_factor_scores
            )

    @api.model
    def _cs_get_health_scope_domain(self):
        """Customers the health score rates: a running subscription or an
        onboarding in progress."""
        return Domain("parent_id", "=", False) & (
            Domain("has_running_subscription", "=", True)
            | Domain("onboarding_state", "=", "in_progress")
        )

    @api.model
    def _cs_get_health_domain(self, today):
        """Customers whose health is due today: rated, and no snapshot today
        yet."""
        return self._cs_get_health_scope_domain() & Domain(
            "health_snapshot_ids", "not any", [("date", "=", today)]
        )

    @api.model
    def _cron_cs_health(self, batch_size=500):
        """Daily health scores, in batches.

        Each customer of a batch gets its score, its band, its risk reasons
        and one snapshot for the day (unique per customer and day). Batches
        are locked with ``try_lock_for_update`` and committed with
        ``_commit_progress``: a re-run or a second worker skips the customers
        already done today.
        """
        today = fields.Date.context_today(self)
        self._cs_run_domain_in_batches(
            self._cs_get_health_domain(today),
            lambda customers: self.env["cs.health.snapshot"]._compute_for(
                customers, today
            ),
            batch_size,
        )

    @api.model
    def _cs_compute_health_due(self):
        """Score today, at once and without committing, every customer the
        daily health cron would score: for the demo data, whose install must
        not commit half-way (the cron commits each batch)."""
        today = fields.Date.context_today(self)
        self.env["cs.health.snapshot"]._compute_for(
            self.search(self._cs_get_health_domain(today)), today
        )

    def action_cs_compute_health(self):
        """Recompute the health of these customers now (replaces today's
        snapshot)."""
        today = fields.Date.context_today(self)
        customers = self.commercial_partner_id
        # a CS user may refresh what they see; the snapshot model is written
        # by the system only
        Snapshot = self.env["cs.health.snapshot"].sudo()
        Snapshot.search(
            [("partner_id", "in", customers.ids), ("date", "=", today)]
        ).unlink()
        Snapshot._compute_for(customers.sudo(), today)

    def _cs_store_health_values(self, values_by_partner):
        """Store the health fields of these customers: ``values_by_partner``
        is {partner id: values}, values of their own for each customer.

        The fast path of ``write`` for the daily run. ``res.partner.write``
        costs milliseconds a call (the sync of the commercial and address
        fields, the tracking, the overrides of every addon), and values of
        one's own mean one call per customer. The health fields take part in
        none of that: they are written field by field into the cache, as
        ``write`` does, and the ORM flushes them in batched UPDATEs. A band
        that changes is told in the chatter, and a customer turning red, or
        whose score or usage drops past the threshold of its play, runs the
        automation rules on those fields (the plays *Health turns red*,
        *Health drops by 20 points in 30 days*, *Usage falls by half in 30
        days*): those customers go through ``write``.
        ``test_health_store_matches_write`` holds both paths equal.
        """

        def crosses(partner, values, name, threshold):
            return values.get(name, 0.0) >= threshold > partner[name]

        def goes_through_write(partner):
            values = values_by_partner[partner.id]
            band = values["health_band"]
            return (
                partner.health_band != band and (partner.health_band or band == "red")
            ) or (
                crosses(partner, values, "health_drop_30d", HEALTH_DROP_POINTS)
                or crosses(partner, values, "usage_drop_30d", USAGE_DROP_PERCENT)
            )

        changed = self.filtered(goes_through_write)
        for partner in changed:
            # a first score is no change to tell in the chatter
            partner.with_context(
                tracking_disable=False, mail_notrack=not partner.health_band
            ).write(values_by_partner[partner.id])
        others = self - changed
        if not others:
            return
        # what write() does around the fields: the rights, the log columns,
        # then the fields that depend on them and the constraints
        others.check_access("write")
        names = list(values_by_partner[others[:1].id])
        for name in names:
            others._check_field_access(self._fields[name], "write")
        for partner in others:
            for name, value in values_by_partner[partner.id].items():
                self._fields[name].write(partner, value)
        self._fields["write_uid"].write(others, self.env.uid)
        self._fields["write_date"].write(others, self.env.cr.now())
        others.modified(names)
        others._validate_fields(names)

    def _cs_prepare_seats_values(self, usage, today):
        """The seat field of this customer scored on ``today``: the day its
        active users first reached 90% of its plans' users, kept while they
        stay there. ``usage`` is (active users, users of the plans), or None
        when its plans say nothing of users or no active users were
        pushed."""
        self.ensure_one()
        active, seats = usage or (0.0, 0)
        if not seats or active * 100 < seats * SEATS_FULL_PERCENT:
            return {"cs_seats_full_since": False}
        return {"cs_seats_full_since": self.cs_seats_full_since or today}

    def _cs_get_seats_note(self):
        """The seats used by this customer, in the language of the context:
        "19 active users of 20 (95%) since 03/01/2026"; False when its plans
        say nothing of users."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        usage = self.env["cs.health.factor"]._get_seat_usage(self, today).get(self)
        if not usage:
            return False
        active, seats = usage
        figures = {
            "active": formatLang(self.env, active, digits=0),
            "seats": seats,
            "percent": round(active / seats * 100),
        }
        if not self.cs_seats_full_since:
            return self.env._(
                "%(active)s active users of %(seats)s (%(percent)s%%)", **figures
            )
        return self.env._(
            "%(active)s active users of %(seats)s (%(percent)s%%) since %(date)s",
            date=format_date(self.env, self.cs_seats_full_since),
            **figures,
        )

    def _cs_on_turned_red(self, today):
        """The health_red webhook of each customer that turned red. The
        follow-up is the play *Health turns red*, on an automation rule."""
        company_of = self.env["cs.health.factor"]._get_company_by_partner(self)
        for partner in self:
            self.env["cs.webhook"]._emit(
                "health_red",
                {
                    **partner._cs_get_webhook_values(),
                    "score": partner.health_score,
                    # a machine reads it: in English, and as data
                    "reasons": partner.with_context(lang="en_US").health_reasons
                    or None,
                    "reason_data": partner.health_reason_data or [],
                    "date": fields.Date.to_string(today),
                },
                company_of[partner],
            )

    def _cs_get_cta_note(self):
        """What a call to action opened on this customer says of it, in the
        language of the context: for the play that fired (``cs_play_id`` in
        the context) *Health drops by 20 points in 30 days*, the scores then
        and now ("80,0 → 58,0 in 30 days"); for *Usage falls by half in 30
        days*, the usage that fell ("active users -60% in 30 days"); for
        *Seats at 90% of the plan for 14 days*, the seats used and since when
        ("19 active users of 20 (95%) since 03/01/2026"); else its
        health score and risk reasons (e.g. "36,0: NPS detractor (2)")."""
        self.ensure_one()
        play = self.env["cs.play"].browse(self.env.context.get("cs_play_id"))
        ref = play._is_shipped
        if ref("customer_success.cs_play_seats_full"):
            return self._cs_get_seats_note()
        if not self.health_band:
            return False
        if ref("customer_success.cs_play_health_drop"):
            return self.env._(
                "%(before)s → %(after)s in 30 days",
                before=formatLang(
                    self.env, self.health_score + self.health_drop_30d, digits=1
                ),
                after=formatLang(self.env, self.health_score, digits=1),
            )
        if ref("customer_success.cs_play_usage_halved"):
            drops = [
                reason
                for reason in self.health_reason_data or []
                if reason.get("code") == "usage_drop"
            ]
            if drops:
                return self.env["cs.health.factor"]._format_reasons(drops)
        score = formatLang(self.env, self.health_score, digits=1)
        return ": ".join(filter(None, [score, self.health_reasons]))
