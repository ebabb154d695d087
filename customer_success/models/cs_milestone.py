# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsMilestone(models.Model):
    """A peak of value delivered to the customer, to share and celebrate."""

    _name = "cs.milestone"
    _description = "Success Milestone"
    _inherit = ["mail.thread", "cs.mail.mixin"]
    _order = "date desc, id desc"

    # the automatic milestones are named in every language (_record)
    name = fields.Char(required=True, tracking=True, translate=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    type_id = fields.Many2one("cs.milestone.type", required=True, ondelete="restrict")
    is_value = fields.Boolean(related="type_id.is_value", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    value_delivered = fields.Text(help="What the customer got, in their words.")
    goal_id = fields.Many2one(
        "cs.success.goal",
        string="Success Goal",
        ondelete="set null",
        domain="[('partner_id', '=', partner_id)]",
    )
    onboarding_id = fields.Many2one("cs.onboarding", ondelete="set null")
    subscription_id = fields.Many2one("sale.subscription", ondelete="set null")
    invoice_id = fields.Many2one("account.move", ondelete="set null")
    csm_id = fields.Many2one(related="partner_id.csm_id", string="Success Manager")
    touch_model_id = fields.Many2one(related="partner_id.touch_model_id", store=True)
    celebrated = fields.Boolean(readonly=True, copy=False, tracking=True)
    origin_key = fields.Char(
        readonly=True,
        copy=False,
        help="What created this milestone automatically: it is never created twice.",
    )

    _origin_uniq = models.UniqueIndex(
        "(partner_id, origin_key) WHERE origin_key IS NOT NULL",
        "This milestone was already recorded for this customer.",
    )

    @api.constrains("partner_id", "goal_id")
    def _check_partner(self):
        for milestone in self:
            if milestone.partner_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "A milestone belongs to the customer, not to the contact "
                        "%(contact)s.",
                        contact=milestone.partner_id.display_name,
                    )
                )
            goal = milestone.goal_id
            if goal and goal.partner_id != milestone.partner_id:
                raise ValidationError(
                    self.env._(
                        "The goal %(goal)s belongs to another customer.",
                        goal=goal.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        for milestone in milestones:
            self.env["cs.webhook"]._emit(
                "milestone", milestone._prepare_webhook_payload(), milestone.company_id
            )
        return milestones

    def _prepare_webhook_payload(self):
        """What a milestone webhook tells."""
        self.ensure_one()
        return {
            **self.partner_id._cs_get_webhook_values(),
            "milestone": self.name,
            "type": self.type_id.name,
            "value_milestone": self.is_value,
            "date": fields.Date.to_string(self.date),
        }

    def _cs_get_cta_note(self):
        """What a call to action opened on this milestone says of it, in the
        language of the context: the milestone, and the seats its customer
        uses ("Go-live; 19 active users of 20 (95%) since 03/01/2026")."""
        self.ensure_one()
        return "; ".join(
            filter(None, [self.name, self.partner_id._cs_get_seats_note()])
        )

    def action_celebrate(self):
        """E-mail the customer's stakeholders and post the milestone on the
        customer's chatter."""
        template = self.env.ref("customer_success.mail_template_cs_milestone")
        for milestone in self:
            milestone._cs_post_template(
                template, milestone._get_celebration_recipients()
            )
            milestone.partner_id.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Milestone celebrated with the customer: %(milestone)s.",
                    milestone=milestone.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.celebrated = True

    def _get_celebration_recipients(self):
        """The stakeholders with an address, else the customer."""
        self.ensure_one()
        contacts = self.partner_id.stakeholder_ids.contact_id.filtered("email")
        return contacts or self.partner_id

    @api.model
    def _record(self, values_list):
        """Create the automatic milestones of ``values_list`` that do not exist
        yet (same customer and ``origin_key``).

        A ``name`` may be a function of an environment returning the name:
        the milestone is then named in every installed language, for each
        reader (and the customer's e-mails) to read it in theirs."""
        if not values_list:
            return self.browse()
        existing = {
            (milestone.partner_id.id, milestone.origin_key)
            for milestone in self.sudo().search(
                [
                    ("partner_id", "in", [vals["partner_id"] for vals in values_list]),
                    ("origin_key", "in", [vals["origin_key"] for vals in values_list]),
                ]
            )
        }
        new = []
        for vals in values_list:
            key = (vals["partner_id"], vals["origin_key"])
            if key not in existing:
                existing.add(key)
                new.append(vals)
        namers = [vals["name"] if callable(vals["name"]) else None for vals in new]
        for vals, namer in zip(new, namers, strict=True):
            if namer:
                vals["name"] = namer(self.env)
        # automatic milestones follow events (a payment, an activation, a
        # date), whoever triggers them: not a question of the user's rights
        milestones = self.sudo().create(new)
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for milestone, namer in zip(milestones, namers, strict=True):
            if namer:
                milestone.update_field_translations(
                    "name",
                    {lang: namer(self.with_context(lang=lang).env) for lang in langs},
                )
        return milestones

    @api.model
    def _cron_cs_anniversaries(self):
        """Record the yearly anniversaries of running subscriptions, catching
        up missed years; never twice (unique origin per customer)."""
        today = fields.Date.context_today(self)
        anniversary = self.env.ref("customer_success.cs_milestone_type_anniversary")
        subscriptions = self.env["sale.subscription"].search(
            [
                ("in_progress", "=", True),
                ("date_start", "<=", fields.Date.subtract(today, years=1)),
            ]
        )
        values = []
        for subscription in subscriptions:
            years = 1
            day = fields.Date.add(subscription.date_start, years=years)
            while day <= today:
                values.append(
                    {
                        "name": lambda env, years=years: env._(
                            "%(years)s year(s) together", years=years
                        ),
                        "partner_id": subscription.cs_commercial_partner_id.id,
                        "company_id": subscription.company_id.id,
                        "type_id": anniversary.id,
                        "date": day,
                        "subscription_id": subscription.id,
                        "origin_key": f"anniversary:{subscription.id}:{years}",
                    }
                )
                years += 1
                day = fields.Date.add(subscription.date_start, years=years)
        self._record(values)
