# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsStakeholder(models.Model):
    """A person of the customer who matters to its success."""

    _name = "cs.stakeholder"
    _description = "Customer Stakeholder"
    _order = "partner_id, role, id"
    _rec_name = "contact_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    company_id = fields.Many2one(related="partner_id.company_id")
    role = fields.Selection(
        [
            ("decision_maker", "Decision Maker"),
            ("champion", "Champion"),
            ("end_user", "End User"),
            ("payer", "Payer"),
            ("technical", "Technical"),
        ],
        required=True,
        default="end_user",
        help="The payer receives the billing e-mails: choosing this role makes "
        "the contact the customer's payer.",
    )
    email = fields.Char(related="contact_id.email")
    phone = fields.Char(related="contact_id.phone")
    function = fields.Char(related="contact_id.function")
    expectations = fields.Text()
    success_definition = fields.Text(
        string="Success Means", help="What success means to this person."
    )

    _contact_role_uniq = models.Constraint(
        "UNIQUE(partner_id, contact_id, role)",
        "This contact already has this role for the customer.",
    )
    _one_payer = models.UniqueIndex(
        "(partner_id) WHERE role = 'payer'",
        "A customer has one payer.",
    )

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for stakeholder in self:
            if stakeholder.contact_id.commercial_partner_id != stakeholder.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s.",
                        contact=stakeholder.contact_id.display_name,
                        customer=stakeholder.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        stakeholders = super().create(vals_list)
        stakeholders._sync_payer()
        return stakeholders

    def write(self, vals):
        res = super().write(vals)
        if {"role", "contact_id"} & vals.keys():
            self._sync_payer()
        return res

    def _sync_payer(self):
        """The payer stakeholder is the customer's payer contact."""
        for stakeholder in self.filtered(lambda rec: rec.role == "payer"):
            if stakeholder.partner_id.payer_id != stakeholder.contact_id:
                stakeholder.partner_id.with_context(
                    cs_skip_payer_sync=True
                ).payer_id = stakeholder.contact_id
