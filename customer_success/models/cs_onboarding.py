# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date

from .customer_name import CUSTOMER, customer_name_domain

# the stakeholders the ongoing CSM is introduced to
INTRO_ROLES = ("decision_maker", "champion")


class CsOnboarding(models.Model):
    """The journey of a new customer to its first experience of value."""

    _name = "cs.onboarding"
    _description = "Onboarding"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, kickoff_date desc, id desc"

    @api.model
    def _default_stage_id(self):
        return self._get_stages(self.env.company)[:1]

    name = fields.Char(
        compute="_compute_name",
        inverse="_inverse_name",
        search="_search_name",
        help="Onboarding of the customer, in your language, unless renamed.",
    )
    custom_name = fields.Char(
        copy=False, help="The name given by hand; empty: Onboarding of the customer."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    subscription_id = fields.Many2one(
        "sale.subscription",
        index="btree_not_null",
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    team_id = fields.Many2one(
        "cs.team",
        string="Onboarding Team",
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Onboarding Lead",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    stage_id = fields.Many2one(
        "cs.onboarding.stage",
        tracking=True,
        index=True,
        copy=False,
        default=_default_stage_id,
        group_expand="_read_group_stage_ids",
        domain="[('company_id', '=', company_id)]",
    )
    is_handoff_stage = fields.Boolean(related="stage_id.is_handoff")
    state = fields.Selection(
        [
            ("in_progress", "In Progress"),
            ("done", "Handed Off"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="in_progress",
        tracking=True,
        copy=False,
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Important")], default="0")
    color = fields.Integer()
    kickoff_date = fields.Date(
        default=fields.Date.context_today, required=True, tracking=True
    )
    target_activation_date = fields.Date(tracking=True)
    activation_date = fields.Date(
        tracking=True,
        copy=False,
        help="When the customer first got value: the product is in use.",
    )
    days_to_activation = fields.Integer(
        compute="_compute_days_to_activation",
        help="Days from the kickoff to the activation.",
    )
    is_late = fields.Boolean(compute="_compute_is_late")
    touch_model_id = fields.Many2one(related="partner_id.touch_model_id")
    csm_id = fields.Many2one(related="partner_id.csm_id", string="Ongoing CSM")
    task_ids = fields.One2many("cs.onboarding.task", "onboarding_id", copy=False)
    task_count = fields.Integer(compute="_compute_task_progress")
    task_done_count = fields.Integer(compute="_compute_task_progress")
    checklist_progress = fields.Float(compute="_compute_task_progress")
    stakeholder_ids = fields.One2many(
        related="partner_id.stakeholder_ids", readonly=False
    )
    goal_ids = fields.One2many(related="partner_id.success_goal_ids", readonly=False)
    # What the hand-off document is made of
    current_scenario = fields.Html(
        help="Where the customer is today, and where they want to go."
    )
    pains_needs = fields.Html(string="Pains and Needs")
    integrations = fields.Html(string="Integrations and Flows")
    planned_improvements = fields.Html()
    handoff_id = fields.Many2one("cs.handoff", string="Hand-off", copy=False)
    handoff_date = fields.Date(related="handoff_id.date")

    _partner_subscription_uniq = models.Constraint(
        "UNIQUE(partner_id, subscription_id)",
        "This subscription already has an onboarding.",
    )

    @api.depends("custom_name", "partner_id")
    @api.depends_context("lang")
    def _compute_name(self):
        for onboarding in self:
            onboarding.name = onboarding.custom_name or onboarding._get_default_name()

    def _get_default_name(self):
        """The name of an onboarding not renamed, in the reader's language."""
        self.ensure_one()
        # sudo: only the customer's name, shown to whoever reads the
        # onboarding (as when the name was stored)
        return self.env._(
            "Onboarding of %(customer)s",
            customer=self.partner_id.sudo().display_name or "",
        )

    def _inverse_name(self):
        for onboarding in self:
            name = onboarding.name
            onboarding.custom_name = (
                name if name and name != onboarding._get_default_name() else False
            )

    def _search_name(self, operator, value):
        """As the name reads: a name given by hand, else "Onboarding of"
        and the customer, in the reader's language."""
        customer = customer_name_domain(
            self.env._("Onboarding of %(customer)s", customer=CUSTOMER),
            operator,
            value,
        )
        if customer is None:
            return NotImplemented
        return Domain("custom_name", operator, value) | (
            Domain("custom_name", "=", False) & customer
        )

    @api.depends("kickoff_date", "activation_date")
    def _compute_days_to_activation(self):
        for onboarding in self:
            onboarding.days_to_activation = (
                (onboarding.activation_date - onboarding.kickoff_date).days
                if onboarding.activation_date and onboarding.kickoff_date
                else 0
            )

    @api.depends("target_activation_date", "activation_date", "state")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for onboarding in self:
            onboarding.is_late = bool(
                onboarding.state == "in_progress"
                and not onboarding.activation_date
                and onboarding.target_activation_date
                and onboarding.target_activation_date < today
            )

    @api.depends("task_ids.is_done")
    def _compute_task_progress(self):
        for onboarding in self:
            tasks = onboarding.task_ids
            done = len(tasks.filtered("is_done"))
            onboarding.task_count = len(tasks)
            onboarding.task_done_count = done
            onboarding.checklist_progress = done / len(tasks) * 100.0 if tasks else 0.0

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return self._get_stages(self.env.company)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("company_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                if partner.company_id:
                    vals["company_id"] = partner.company_id.id
        onboardings = super().create(vals_list)
        for onboarding in onboardings:
            if onboarding.stage_id.company_id != onboarding.company_id:
                onboarding.stage_id = onboarding._get_stages(onboarding.company_id)[:1]
        onboardings._copy_stage_tasks()
        onboardings.filtered("activation_date")._record_activation()
        return onboardings

    def write(self, vals):
        if "stage_id" in vals:
            self._check_stage_move(
                self.env["cs.onboarding.stage"].browse(vals["stage_id"])
            )
        res = super().write(vals)
        if "stage_id" in vals:
            self._copy_stage_tasks()
        if vals.get("activation_date"):
            self._record_activation()
        return res

    def action_cancel(self):
        """Stop these onboardings without a hand-off."""
        self._check_in_progress()
        self.write({"state": "cancelled"})

    def action_reopen(self):
        """Resume cancelled onboardings."""
        for onboarding in self:
            if onboarding.state != "cancelled":
                raise UserError(
                    self.env._(
                        "Only a cancelled onboarding can be reopened; %(name)s is "
                        "not cancelled.",
                        name=onboarding.display_name,
                    )
                )
        self.write({"state": "in_progress"})

    def action_open_handoff_wizard(self):
        """Open the hand-off of this onboarding to the ongoing team."""
        self.ensure_one()
        self._check_in_progress()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_handoff_wizard_action"
        )
        action["context"] = {"default_onboarding_id": self.id}
        return action

    def action_view_handoff(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.handoff",
            "res_id": self.handoff_id.id,
            "view_mode": "form",
        }

    @api.model
    def _get_stages(self, company):
        """The onboarding stages of ``company``, in their order."""
        return self.env["cs.onboarding.stage"].search([("company_id", "=", company.id)])

    def _check_in_progress(self):
        for onboarding in self:
            if onboarding.state != "in_progress":
                raise UserError(
                    self.env._(
                        "%(name)s is closed: it can no longer change.",
                        name=onboarding.display_name,
                    )
                )

    def _check_stage_move(self, new_stage):
        """Moving forward needs the requirements of every stage left behind;
        moving back is always allowed."""
        for onboarding in self:
            old_stage = onboarding.stage_id
            if not old_stage or new_stage == old_stage:
                continue
            onboarding._check_in_progress()
            if new_stage.company_id != onboarding.company_id:
                raise UserError(
                    self.env._(
                        "The stage %(stage)s belongs to another company.",
                        stage=new_stage.display_name,
                    )
                )
            stages = onboarding._get_stages(onboarding.company_id)
            order = {stage: index for index, stage in enumerate(stages)}
            start, end = order.get(old_stage, 0), order.get(new_stage, 0)
            for stage in stages[start:end]:
                reasons = stage._get_blocking_reasons(onboarding)
                if reasons:
                    raise UserError(
                        self.env._(
                            "%(name)s cannot leave the stage %(stage)s yet: "
                            "%(reasons)s.",
                            name=onboarding.display_name,
                            stage=stage.display_name,
                            reasons="; ".join(reasons),
                        )
                    )

    def _copy_stage_tasks(self):
        """Give each onboarding the checklist of its stage, once."""
        values = []
        for onboarding in self:
            copied = onboarding.task_ids.template_id
            for template in onboarding.stage_id.task_template_ids - copied:
                values.append(template._prepare_task_values(onboarding))
        self.env["cs.onboarding.task"].create(values)._copy_template_translations()

    def _record_activation(self):
        """The activation milestone of each onboarding: created once, and
        moved when the activation date is corrected."""
        Milestone = self.env["cs.milestone"].sudo()
        keys = {f"activation:{onboarding.id}": onboarding for onboarding in self}
        for milestone in Milestone.search([("origin_key", "in", list(keys))]):
            milestone.date = keys.pop(milestone.origin_key).activation_date
        activation = self.env.ref("customer_success.cs_milestone_type_activation")
        Milestone._record(
            [
                {
                    "name": lambda env: env._("Activation"),
                    "partner_id": onboarding.partner_id.id,
                    "company_id": onboarding.company_id.id,
                    "type_id": activation.id,
                    "date": onboarding.activation_date,
                    "onboarding_id": onboarding.id,
                    "subscription_id": onboarding.subscription_id.id,
                    "origin_key": key,
                }
                for key, onboarding in keys.items()
            ]
        )

    def _hand_off(self, handoff_values, checkin_date=False, intro_template=None):
        """Hand the customer over to the ongoing team: write the hand-off
        document from ``handoff_values`` (see the hand-off wizard's
        ``_prepare_handoff_values``), give the customer its ongoing CSM and
        team, plan the first check-in on ``checkin_date``, introduce the CSM
        with ``intro_template`` unless it is None, and close the onboarding.
        Returns the hand-off document."""
        self.ensure_one()
        self._check_in_progress()
        intro_recipients = (
            self._get_intro_recipients() if intro_template is not None else None
        )
        handoff_stage = self._get_stages(self.company_id).filtered("is_handoff")[:1]
        if handoff_stage and self.stage_id != handoff_stage:
            self.stage_id = handoff_stage
        handoff = self.env["cs.handoff"].create(handoff_values)
        document = handoff._render_document()
        # Everything on the customer happens before the onboarding closes: the
        # onboarding team sees a customer of another portfolio only while they
        # onboard it.
        self._post_handoff(handoff, document)
        csm = handoff.csm_id
        if csm:
            # the new CSM follows the customer from now on
            self.partner_id.message_subscribe(partner_ids=csm.partner_id.ids)
            self.partner_id.activity_schedule(
                "customer_success.mail_activity_type_cs_checkin",
                date_deadline=checkin_date,
                # read by the CSM: in their language
                summary=self.with_context(lang=csm.lang or self.env.lang).env._(
                    "First check-in after the hand-off"
                ),
                user_id=csm.id,
            )
        self.partner_id._cs_touch(fields.Date.context_today(self))
        if intro_recipients:
            handoff._cs_post_template(intro_template, intro_recipients)
            handoff.intro_sent = True
        customer_vals = {"csm_id": csm.id}
        if handoff.team_id:
            customer_vals["cs_team_id"] = handoff.team_id.id
        self.partner_id.write(customer_vals)
        self.write({"state": "done", "handoff_id": handoff.id})
        return handoff

    def _get_intro_recipients(self):
        """Decision makers and champions with an address, else the customer."""
        self.ensure_one()
        contacts = self.stakeholder_ids.filtered(
            lambda stakeholder: stakeholder.role in INTRO_ROLES
        ).contact_id.filtered("email")
        recipients = contacts or self.partner_id
        if not recipients.email:
            raise UserError(
                self.env._(
                    "Cannot introduce the success manager: %(customer)s and its "
                    "decision makers and champions have no e-mail address. Add "
                    "one, or untick the introduction.",
                    customer=self.partner_id.display_name,
                )
            )
        return recipients

    def _post_handoff(self, handoff, document):
        """Tell the story in the chatter of the onboarding and of the customer,
        with the document attached."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % self.env._(
            "Handed off to %(csm)s (%(team)s). The hand-off document is attached.",
            csm=handoff.csm_id.name or self.env._("no named success manager"),
            team=handoff.team_id.name or "-",
        )
        for record in (self, self.partner_id):
            record.message_post(
                body=body, attachments=[document], subtype_xmlid="mail.mt_note"
            )
        handoff.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _cancel_for_closed_subscription(self, subscription):
        """The subscription ended before the onboarding did."""
        running = self.filtered(lambda onboarding: onboarding.state == "in_progress")
        running.write({"state": "cancelled"})
        for onboarding in running:
            onboarding.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Cancelled: the subscription %(subscription)s was closed during "
                    "the onboarding.",
                    subscription=subscription.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _cs_get_cta_fallback_user(self):
        """Who follows a late onboarding up when the customer has neither a
        success manager nor a team leader: its onboarding lead."""
        self.ensure_one()
        return self.user_id

    def _cs_get_cta_note(self):
        """What a call to action opened on this onboarding says of it: its
        target activation date and its stage, in the language of the
        context."""
        self.ensure_one()
        return self.env._(
            "activation targeted for %(date)s, at the stage %(stage)s",
            date=format_date(self.env, self.target_activation_date),
            stage=self.stage_id.name or "-",
        )
