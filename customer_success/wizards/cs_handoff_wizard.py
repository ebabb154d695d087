# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang


class CsHandoffWizard(models.TransientModel):
    """Hand a customer over from the onboarding team to the ongoing team."""

    _name = "cs.handoff.wizard"
    _description = "Hand-off to the Ongoing Team"

    onboarding_id = fields.Many2one("cs.onboarding", required=True, readonly=True)
    partner_id = fields.Many2one(related="onboarding_id.partner_id")
    company_id = fields.Many2one(related="onboarding_id.company_id")
    touch_model_id = fields.Many2one(related="onboarding_id.touch_model_id")
    csm_required = fields.Boolean(related="touch_model_id.csm_required")
    csm_id = fields.Many2one(
        "res.users",
        string="Ongoing CSM",
        compute="_compute_csm_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "cs.team",
        string="Ongoing Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
    checkin_date = fields.Date(
        string="First Check-in",
        compute="_compute_checkin_date",
        store=True,
        readonly=False,
    )
    objectives = fields.Html(compute="_compute_document", store=True, readonly=False)
    stakeholder_expectations = fields.Html(
        string="Stakeholders' Expectations",
        compute="_compute_document",
        store=True,
        readonly=False,
    )
    history = fields.Html(
        string="History, Pains and Needs",
        compute="_compute_document",
        store=True,
        readonly=False,
    )
    integrations = fields.Html(
        string="Integrations and Flows",
        compute="_compute_document",
        store=True,
        readonly=False,
    )
    planned_improvements = fields.Html(
        compute="_compute_document", store=True, readonly=False
    )
    followup_actions = fields.Html(string="Follow-up Actions")
    send_intro = fields.Boolean(
        string="Introduce the CSM by E-mail",
        default=True,
        help="E-mail the customer's decision makers and champions (else the "
        "customer) a “meet your customer success manager” introduction.",
    )
    intro_template_id = fields.Many2one(
        "mail.template",
        string="Introduction E-mail",
        domain="[('model', '=', 'cs.handoff')]",
        default=lambda self: self.env.ref(
            "customer_success.mail_template_cs_handoff_intro", raise_if_not_found=False
        ),
    )

    @api.depends("onboarding_id")
    def _compute_csm_id(self):
        for wizard in self:
            wizard.csm_id = wizard.partner_id.csm_id

    @api.depends("csm_id")
    def _compute_team_id(self):
        Team = self.env["cs.team"]
        for wizard in self:
            team = Team._get_team_by_user(wizard.csm_id, wizard.company_id).get(
                wizard.csm_id
            )
            wizard.team_id = team or wizard.partner_id.cs_team_id

    @api.depends("onboarding_id")
    def _compute_checkin_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.checkin_date = fields.Date.add(today, days=7)

    @api.depends("onboarding_id")
    def _compute_document(self):
        for wizard in self:
            onboarding = wizard.onboarding_id
            wizard.objectives = wizard._render_goals(onboarding.goal_ids)
            wizard.stakeholder_expectations = wizard._render_stakeholders(
                onboarding.stakeholder_ids
            )
            wizard.history = wizard._render_history(onboarding)
            wizard.integrations = onboarding.integrations
            wizard.planned_improvements = onboarding.planned_improvements

    @api.model
    def _decimals(self, value):
        """The decimals ``value`` is written with (99.9: 1, 100.0: 0)."""
        # six places at most: 99.89999999999999 is written 99.9
        return len(f"{float(value):.6f}".rstrip("0").partition(".")[2])

    def _render_goals(self, goals):
        # numbers and dates as the document is read: in the customer's
        # language, like the printed hand-off
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        items = Markup("").join(
            Markup("<li><strong>%s</strong>: %s → %s%s</li>")
            % (
                goal.name,
                goal.metric,
                formatLang(env, goal.target, digits=self._decimals(goal.target)),
                Markup(" (%s)") % format_date(env, goal.date_deadline)
                if goal.date_deadline
                else "",
            )
            for goal in goals
        )
        return Markup("<ul>%s</ul>") % items if goals else False

    def _render_stakeholders(self, stakeholders):
        roles = dict(
            self.env["cs.stakeholder"]._fields["role"]._description_selection(self.env)
        )
        items = Markup("").join(
            Markup("<li><strong>%s</strong> (%s): %s</li>")
            % (
                stakeholder.contact_id.name,
                roles[stakeholder.role],
                stakeholder.expectations or "",
            )
            for stakeholder in stakeholders
        )
        return Markup("<ul>%s</ul>") % items if stakeholders else False

    def _render_history(self, onboarding):
        """The scenario, the pains and needs, and the notes logged during the
        onboarding: the new team continues the conversation."""
        parts = [
            part
            for part in (onboarding.current_scenario, onboarding.pains_needs)
            if part
        ]
        notes = onboarding.message_ids.filtered(
            lambda message: message.message_type == "comment" and message.body
        ).sorted("date")
        if notes:
            parts.append(
                Markup("<ul>%s</ul>")
                % Markup("").join(
                    Markup("<li>%s, %s: %s</li>")
                    % (
                        fields.Date.to_date(message.date),
                        message.author_id.name or "",
                        escape(message.preview),
                    )
                    for message in notes
                )
            )
        return Markup("").join(parts) if parts else False

    def action_confirm(self):
        """Write the hand-off document, give the customer its ongoing CSM, close
        the onboarding and plan the first check-in."""
        self.ensure_one()
        self.onboarding_id._check_in_progress()
        if not self.csm_id and (self.csm_required or not self.touch_model_id):
            raise UserError(
                self.env._(
                    "Choose the ongoing success manager of %(customer)s before "
                    "handing it off.",
                    customer=self.partner_id.display_name,
                )
            )
        handoff = self.onboarding_id._hand_off(
            self._prepare_handoff_values(),
            checkin_date=self.checkin_date,
            intro_template=self.intro_template_id if self.send_intro else None,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.handoff",
            "res_id": handoff.id,
            "view_mode": "form",
        }

    def _prepare_handoff_values(self):
        """Values of the hand-off document."""
        self.ensure_one()
        onboarding = self.onboarding_id
        return {
            "onboarding_id": onboarding.id,
            "partner_id": self.partner_id.id,
            "company_id": onboarding.company_id.id,
            "from_user_id": onboarding.user_id.id,
            "from_team_id": onboarding.team_id.id,
            "csm_id": self.csm_id.id,
            "team_id": self.team_id.id,
            "touch_model_id": self.touch_model_id.id,
            "objectives": self.objectives,
            "stakeholder_expectations": self.stakeholder_expectations,
            "history": self.history,
            "integrations": self.integrations,
            "planned_improvements": self.planned_improvements,
            "followup_actions": self.followup_actions,
        }
