# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

OFFER_KINDS = [
    ("pause", "Pause"),
    ("downgrade", "Cheaper Plan"),
    ("discount", "Discount"),
    ("csm", "Talk to the Success Manager"),
]


class CsRetentionOffer(models.Model):
    """What the company offers a customer who asks to cancel, for some
    reasons, plans and touch models."""

    _name = "cs.retention.offer"
    _description = "Retention Offer"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(
        translate=True, help="What the customer reads under the offer."
    )
    kind = fields.Selection(OFFER_KINDS, required=True, default="pause", tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    reason_ids = fields.Many2many(
        "survey.question.answer",
        string="Reasons",
        domain="[('question_id.cs_nps_role', '=', 'exit_reason')]",
        help="The exit reasons this offer answers. Empty: every reason, "
        "including other.",
    )
    touch_model_ids = fields.Many2many(
        "cs.touch.model",
        string="Touch Models",
        domain="[('company_id', '=', company_id)]",
        help="Empty: every touch model.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Plans",
        domain="[('subscribable', '=', True)]",
        help="The plans this offer is made on. Empty: every plan.",
    )
    pause_months = fields.Integer(
        string="Pause up to (Months)",
        default=3,
        tracking=True,
        help="The customer chooses from 1 month to this many.",
    )
    discount_percent = fields.Float(
        string="Discount (%)", default=20.0, digits=(5, 2), tracking=True
    )
    discount_invoices = fields.Integer(
        string="On the Next Invoices", default=3, tracking=True
    )
    request_count = fields.Integer(compute="_compute_request_count")

    @api.constrains("kind", "pause_months", "discount_percent", "discount_invoices")
    def _check_terms(self):
        for offer in self:
            company = offer.company_id
            if offer.kind == "pause" and not (
                1 <= offer.pause_months <= company.cs_retention_pause_months
            ):
                raise ValidationError(
                    self.env._(
                        "The offer %(offer)s pauses for %(months)s months: "
                        "%(company)s allows from 1 to %(max)s.",
                        offer=offer.name,
                        months=offer.pause_months,
                        company=company.name,
                        max=company.cs_retention_pause_months,
                    )
                )
            if offer.kind == "discount":
                if not (
                    0 < offer.discount_percent <= company.cs_retention_max_discount
                ):
                    raise ValidationError(
                        self.env._(
                            "The offer %(offer)s gives %(percent)s%% off: "
                            "%(company)s allows more than 0 and up to %(max)s%%.",
                            offer=offer.name,
                            percent=offer.discount_percent,
                            company=company.name,
                            max=company.cs_retention_max_discount,
                        )
                    )
                if offer.discount_invoices < 1:
                    raise ValidationError(
                        self.env._(
                            "The offer %(offer)s must discount at least one invoice.",
                            offer=offer.name,
                        )
                    )

    def _compute_request_count(self):
        counts = dict(
            self.env["cs.retention.request"]._read_group(
                [("offer_id", "in", self.ids)], ["offer_id"], ["__count"]
            )
        )
        for offer in self:
            offer.request_count = counts.get(offer, 0)

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_success.cs_retention_request_action"
        )
        action["domain"] = [("offer_id", "=", self.id)]
        action["context"] = {}
        return action

    def _cs_get_pause_choices(self):
        """The pause lengths (months) this offer lets the customer choose."""
        self.ensure_one()
        return list(range(1, max(self.pause_months, 1) + 1))

    def _cs_matches(self, subscription, reason):
        """Whether this offer is made on ``subscription`` for ``reason`` (an
        exit-survey answer, or empty for other)."""
        self.ensure_one()
        customer = subscription.cs_commercial_partner_id
        plan = subscription._cs_get_plan_line().product_id
        if self.company_id != subscription.company_id:
            return False
        if self.reason_ids and reason not in self.reason_ids:
            return False
        if self.touch_model_ids and customer.touch_model_id not in self.touch_model_ids:
            return False
        if self.product_ids and plan not in self.product_ids:
            return False
        if self.kind != "csm" and self._cs_taken_lately(subscription):
            return False
        if self.kind == "pause":
            return not subscription.is_paused
        if self.kind == "downgrade":
            return not subscription.cs_next_product_id and bool(
                subscription._cs_get_cheaper_plan()
            )
        if self.kind == "discount":
            return not subscription.cs_discount_invoices_left
        return True

    def _cs_taken_lately(self, subscription):
        """Whether an offer of this kind saved ``subscription`` within the
        last year: a pause, a cheaper plan or a discount is made once a year,
        not at every cancellation."""
        since = fields.Date.context_today(self) - relativedelta(years=1)
        return any(
            request.state == "saved"
            and request.offer_kind == self.kind
            and request.date_decided
            and request.date_decided > since
            for request in subscription.sudo().cs_retention_request_ids
        )
