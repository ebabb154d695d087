# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import LazyTranslate

from ..const import FACTOR_CODES, HEALTH_BANDS

_lt = LazyTranslate(__name__)


class CsHealthSnapshot(models.Model):
    """The health score of a customer on one day, kept for the trend."""

    _name = "cs.health.snapshot"
    _description = "Health Score Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    score = fields.Float(
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Empty (not 0) on a day without data on any factor.",
    )
    band = fields.Selection(
        HEALTH_BANDS,
        readonly=True,
        # _lt: the export reads no other field attribute than string, help
        # and selection
        falsy_value_label=_lt("No data"),  # pylint: disable=translation-field
    )
    at_risk = fields.Boolean(readonly=True)
    reason_data = fields.Json(
        string="Risk Reason Data",
        readonly=True,
        help='The risk reasons: [{"code": "nps_detractor", "score": 4}, ...].',
    )
    reasons = fields.Text(
        string="Risk Reasons",
        compute="_compute_reasons",
        search="_search_reasons",
        help="The risk reasons, in your language.",
    )
    factor_scores = fields.Json(
        readonly=True,
        help="Per factor: its score (null without data), its weight and the "
        "weight it counted with once missing factors were redistributed.",
    )
    details_html = fields.Html(
        string="Factors", compute="_compute_details_html", sanitize=False
    )
    csm_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)

    _partner_date_uniq = models.Constraint(
        "UNIQUE(partner_id, date)", "A customer has one health snapshot per day."
    )

    @api.depends("reason_data")
    @api.depends_context("lang")
    def _compute_reasons(self):
        Factor = self.env["cs.health.factor"]
        for snapshot in self:
            snapshot.reasons = Factor._cs_format_reasons(snapshot.reason_data)

    def _search_reasons(self, operator, value):
        return self.env["cs.health.factor"]._cs_search_reasons(
            "reason_data", operator, value
        )

    @api.depends("factor_scores")
    def _compute_details_html(self):
        for snapshot in self:
            snapshot.details_html = self._cs_render_factors(snapshot.factor_scores)

    @api.model
    def _cs_render_factors(self, factor_scores):
        """A small table of the factors: score, weight and effective weight."""
        if not factor_scores:
            return False
        names = dict(FACTOR_CODES)
        labels = dict(
            self.env["cs.health.factor"]
            ._fields["code"]
            ._description_selection(self.env)
        )
        rows = Markup()
        for code, data in factor_scores.items():
            score = data.get("score")
            rows += Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
            ) % (
                labels.get(code, names.get(code, code)),
                self.env._("no data") if score is None else f"{score:.0f}",
                f"{data.get('weight', 0):.0f}%",
                f"{data.get('effective', 0):.0f}%",
            )
        head = Markup(
            "<table class='table table-sm o_cs_health_factors'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Factor"),
            self.env._("Score"),
            self.env._("Weight"),
            self.env._("Counted"),
        )
        note = Markup()
        if any(data.get("score") is None for data in factor_scores.values()):
            note = Markup("<p class='text-muted small'>%s</p>") % self.env._(
                "Factors without data do not count as zero: their weight is "
                "shared among the others (column Counted)."
            )
        return head + rows + Markup("</tbody></table>") + note
