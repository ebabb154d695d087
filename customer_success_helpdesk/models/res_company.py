# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.customer_success.const import FACTOR_WEIGHTS

# a company that kept the weights customer_success ships makes room for the
# support factor, so that its weights still sum to 100
ROOM_FOR_SUPPORT = {"usage": 20, "engagement": 10}


class ResCompany(models.Model):
    _inherit = "res.company"

    cs_support_surge_count = fields.Integer(
        string="Support Surge Tickets",
        default=3,
        help="This many tickets of one customer within the surge days give its "
        "success manager an activity.",
    )
    cs_support_surge_days = fields.Integer(
        string="Support Surge Days",
        default=7,
        help="The days in which the surge tickets are counted.",
    )

    @api.constrains("cs_support_surge_count", "cs_support_surge_days")
    def _check_cs_support_surge(self):
        for company in self:
            if company.cs_support_surge_count < 2:
                raise ValidationError(
                    self.env._(
                        "A support surge is at least two tickets of one customer."
                    )
                )
            if not 1 <= company.cs_support_surge_days <= 90:
                raise ValidationError(
                    self.env._(
                        "The tickets of a support surge are counted within 1 to "
                        "90 days."
                    )
                )

    @api.model
    def _cs_setup_support_factors(self):
        """The support factor for every company, at install (archived ones
        too: they may be restored)."""
        self.sudo().with_context(active_test=False).search(
            [("active", "in", (True, False))]
        )._cs_setup_support_factor()

    @api.model_create_multi
    def create(self, vals_list):
        # customer_success copies the main company's factors, support included,
        # to a new company; one without it (removed from the main company)
        # still gets it
        companies = super().create(vals_list)
        companies._cs_setup_support_factor()
        return companies

    def _cs_setup_support_factor(self):
        """Give each company the support factor of the health score, copied
        from the main company's. A company whose weights are still the
        shipped ones makes room for it (usage 20, engagement 10), so that
        they still sum to 100; one that changed them keeps them, and the
        settings say that they are normalised."""
        Factor = self.env["cs.health.factor"].sudo().with_context(active_test=False)
        shipped = self.env.ref(
            "customer_success_helpdesk.cs_health_factor_support",
            raise_if_not_found=False,
        )
        factors = Factor.search([("company_id", "in", self.ids)])
        for company in self:
            own = factors.filtered(lambda factor, c=company: factor.company_id == c)
            if shipped and "support" not in own.mapped("code"):
                own |= shipped.copy({"company_id": company.id})
            others = own.filtered(lambda factor: factor.code != "support")
            if {factor.code: factor.weight for factor in others} == FACTOR_WEIGHTS:
                for factor in others:
                    if factor.code in ROOM_FOR_SUPPORT:
                        factor.weight = ROOM_FOR_SUPPORT[factor.code]
