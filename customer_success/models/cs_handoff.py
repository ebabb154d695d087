# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from .customer_name import CUSTOMER, customer_name_domain


class CsHandoff(models.Model):
    """The standard document with which the onboarding team hands a customer
    over to the team that serves it from then on."""

    _name = "cs.handoff"
    _description = "Hand-off Document"
    _inherit = ["mail.thread", "cs.mail.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", search="_search_name")
    onboarding_id = fields.Many2one(
        "cs.onboarding", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    from_user_id = fields.Many2one("res.users", string="Handed Over By")
    from_team_id = fields.Many2one("cs.team", string="Onboarding Team")
    csm_id = fields.Many2one("res.users", string="Ongoing CSM")
    team_id = fields.Many2one("cs.team", string="Ongoing Team")
    touch_model_id = fields.Many2one("cs.touch.model")
    objectives = fields.Html()
    stakeholder_expectations = fields.Html(string="Stakeholders' Expectations")
    history = fields.Html(
        string="History, Pains and Needs",
        help="What happened with the customer so far, so that the new team "
        "continues the conversation instead of starting it again.",
    )
    integrations = fields.Html(string="Integrations and Flows")
    planned_improvements = fields.Html()
    followup_actions = fields.Html(string="Follow-up Actions")
    attachment_id = fields.Many2one("ir.attachment", string="Document", copy=False)
    intro_sent = fields.Boolean(string="Introduction E-mailed", readonly=True)

    @api.depends("partner_id")
    @api.depends_context("lang")
    def _compute_name(self):
        # in the reader's language: not stored. sudo: only the customer's
        # name, which whoever reads the document may read (the onboarding
        # team once the customer moved to another portfolio, the customer)
        for handoff in self:
            handoff.name = self.env._(
                "Hand-off of %(customer)s",
                customer=handoff.partner_id.sudo().display_name or "",
            )

    def _search_name(self, operator, value):
        """As the name reads: "Hand-off of" and the customer, in the
        reader's language."""
        customer = customer_name_domain(
            self.env._("Hand-off of %(customer)s", customer=CUSTOMER),
            operator,
            value,
        )
        return NotImplemented if customer is None else customer

    def action_print(self):
        return self.env.ref("customer_success.action_report_cs_handoff").report_action(
            self
        )

    def _render_document(self):
        """Render the document as a PDF, keep it on the record and return
        (file name, content)."""
        self.ensure_one()
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "customer_success.action_report_cs_handoff", self.ids
        )
        name = self.env._("Hand-off - %(customer)s.pdf", customer=self.partner_id.name)
        self.attachment_id = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        return name, content
