# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import TOUCH_LEVELS


class CsTouchModel(models.Model):
    """How a customer is served, and which customers are served that way."""

    _name = "cs.touch.model"
    _description = "Touch Model"
    _inherit = ["mail.thread"]
    _order = "sequence, mrr_min, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    level = fields.Selection(
        TOUCH_LEVELS,
        required=True,
        default="mid",
        tracking=True,
        help="Exclusive-touch allows one customer per success manager; high- and "
        "exclusive-touch customers get a person's call before dunning e-mails.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Html(translate=True)
    # Assignment rule
    mrr_min = fields.Monetary(
        string="Monthly Revenue From",
        tracking=True,
        help="Customers whose monthly recurring revenue is at least this amount…",
    )
    mrr_max = fields.Monetary(
        string="Monthly Revenue Below",
        tracking=True,
        help="…and below this amount. Zero means no upper limit.",
    )
    tag_ids = fields.Many2many(
        "res.partner.category",
        "cs_touch_model_partner_category_rel",
        "touch_model_id",
        "category_id",
        string="Customer Tags",
        help="When set, the rule only applies to customers with one of these tags, "
        "and wins over the rules without tags.",
    )
    # Service
    csm_required = fields.Boolean(
        string="Named CSM Required",
        default=True,
        help="Customers of this model need a named success manager: the hand-off "
        "cannot end without one.",
    )
    cs_retention_csm_first = fields.Boolean(
        string="Success Manager Calls Before a Cancellation",
        tracking=True,
        help="A customer of this model asking to cancel from the portal is told "
        "their success manager will call within one business day; the "
        "cancellation goes through if nobody acts by then.",
    )
    max_accounts_per_csm = fields.Integer(
        string="Accounts per CSM",
        help="The capacity of one success manager in this model. Zero means no "
        "limit. Portfolios above it are flagged.",
    )
    checkin_mode = fields.Selection(
        [
            ("activity", "Check-in activity for the CSM"),
            ("email", "Automated e-mails"),
            ("none", "No check-in"),
        ],
        string="Check-ins",
        required=True,
        default="activity",
        tracking=True,
    )
    checkin_interval = fields.Integer(
        string="Check-in Every (Days)",
        default=30,
        tracking=True,
    )
    checkin_template_id = fields.Many2one(
        "mail.template",
        string="Check-in E-mail",
        domain="[('model', '=', 'res.partner')]",
    )
    pulse_template_id = fields.Many2one(
        "mail.template",
        string="“How Is It Going?” E-mail",
        domain="[('model', '=', 'res.partner')]",
        help="Sent instead of the check-in e-mail every other time.",
    )
    dunning_policy_id = fields.Many2one(
        "cs.dunning.policy",
        domain="[('company_id', '=', company_id)]",
        help="Billing conversation of this model's customers that have no policy "
        "of their own. Empty: the company's default policy.",
    )
    onboarding_team_id = fields.Many2one(
        "cs.team",
        domain="[('company_id', '=', company_id)]",
        help="Team that onboards new customers of this model.",
    )
    onboarding_days = fields.Integer(
        string="Days to Activation",
        default=30,
        help="Target activation date of a new onboarding, from its kickoff.",
    )
    # Health
    weight_ids = fields.One2many(
        "cs.touch.model.weight",
        "touch_model_id",
        string="Health Factor Weights",
        help="The weights of the health factors for the customers of this model. "
        "Empty: the company's weights. A factor without a line counts with no "
        "weight.",
    )
    customer_ids = fields.One2many("res.partner", "touch_model_id")
    customer_count = fields.Integer(compute="_compute_customer_count")

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)",
        "A touch model with this name already exists in this company.",
    )
    _mrr_positive = models.Constraint(
        "CHECK(mrr_min >= 0 AND mrr_max >= 0)",
        "Revenue bounds of a touch model cannot be negative.",
    )

    @api.depends("customer_ids")
    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("touch_model_id", "in", self.ids)],
                groupby=["touch_model_id"],
                aggregates=["__count"],
            )
        )
        for model in self:
            model.customer_count = counts.get(model, 0)

    @api.constrains("mrr_min", "mrr_max")
    def _check_mrr_range(self):
        for model in self:
            if model.mrr_max and model.mrr_max <= model.mrr_min:
                raise ValidationError(
                    self.env._(
                        "The revenue range of %(model)s is empty: its upper bound "
                        "must be above its lower bound, or zero for no limit.",
                        model=model.display_name,
                    )
                )

    @api.constrains("mrr_min", "mrr_max", "tag_ids", "company_id", "active")
    def _check_overlap(self):
        others = self.search([("company_id", "in", self.company_id.ids)])
        for model in self.filtered("active"):
            for other in others - model:
                if other.company_id == model.company_id and model._overlaps(other):
                    raise ValidationError(
                        self.env._(
                            "The revenue ranges of %(model)s and %(other)s overlap "
                            "for the same customers: a customer would fit both. "
                            "Make the ranges meet without overlapping, or tell them "
                            "apart with different customer tags.",
                            model=model.display_name,
                            other=other.display_name,
                        )
                    )

    @api.constrains("checkin_mode", "checkin_interval")
    def _check_checkin_interval(self):
        for model in self:
            if model.checkin_mode != "none" and model.checkin_interval <= 0:
                raise ValidationError(
                    self.env._(
                        "The check-in cadence of %(model)s must be at least one day.",
                        model=model.display_name,
                    )
                )

    @api.constrains("max_accounts_per_csm", "onboarding_days")
    def _check_positive_numbers(self):
        for model in self:
            if model.max_accounts_per_csm < 0 or model.onboarding_days < 0:
                raise ValidationError(
                    self.env._(
                        "The capacity and the days to activation of %(model)s "
                        "cannot be negative.",
                        model=model.display_name,
                    )
                )

    @api.constrains("weight_ids")
    def _check_factor_weights(self):
        for model in self:
            weights = model.weight_ids.filtered("factor_id.active")
            if model.weight_ids and not sum(weights.mapped("weight")):
                raise ValidationError(
                    self.env._(
                        "The health factor weights of %(model)s are all zero: no "
                        "health score could be computed for its customers. Give a "
                        "factor a weight, or remove the lines to use the "
                        "company's weights.",
                        model=model.display_name,
                    )
                )

    @api.constrains("dunning_policy_id", "onboarding_team_id", "company_id")
    def _check_company_consistency(self):
        for model in self:
            for record in (model.dunning_policy_id, model.onboarding_team_id):
                if record and record.company_id != model.company_id:
                    raise ValidationError(
                        self.env._(
                            "%(record)s belongs to another company than the touch "
                            "model %(model)s.",
                            record=record.display_name,
                            model=model.display_name,
                        )
                    )

    def _overlaps(self, other):
        """Whether a customer could fit both rules."""
        self.ensure_one()
        if bool(self.tag_ids) != bool(other.tag_ids):
            return False
        if self.tag_ids and not (self.tag_ids & other.tag_ids):
            return False
        return self._mrr_below(other.mrr_max) and other._mrr_below(self.mrr_max)

    def _mrr_below(self, bound):
        """Whether the range of this model starts below ``bound`` (0: no bound)."""
        return not bound or self.mrr_min < bound

    def _matches(self, mrr, tags):
        """Whether a customer with revenue ``mrr`` and ``tags`` fits this rule."""
        self.ensure_one()
        if self.tag_ids and not (self.tag_ids & tags):
            return False
        return self.mrr_min <= mrr and (not self.mrr_max or mrr < self.mrr_max)

    def _get_best_match(self, mrr, tags):
        """The model of ``self`` for a customer: a tagged rule wins over an
        untagged one, then the sequence decides."""
        candidates = self.filtered(lambda model: model._matches(mrr, tags))
        tagged = candidates.filtered("tag_ids")
        return (tagged or candidates)[:1]

    def _get_factor_weights(self):
        """The weights this touch model gives the health factors: {factor
        code: weight} of its active lines, or None when it has none (the
        company's weights then apply)."""
        self.ensure_one()
        lines = self.weight_ids.filtered("factor_id.active")
        if not lines:
            return None
        return {line.factor_id.code: line.weight for line in lines}

    def action_view_customers(self):
        """Open the customers served with this model."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.res_partner_action_customers"
        )
        action["domain"] = [("touch_model_id", "=", self.id)]
        action["context"] = {"default_touch_model_id": self.id}
        return action
