# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CTA_TYPES = [
    ("risk", "Risk"),
    ("renewal", "Renewal"),
    ("expansion", "Expansion"),
    ("onboarding", "Onboarding"),
    ("lifecycle", "Lifecycle"),
    ("billing", "Billing"),
]
CTA_PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Urgent"),
]


class CsPlay(models.Model):
    """What happens when a signal fires: the call to action it opens, the
    activity plan launched on it and, optionally, an e-mail to the customer.
    The signal itself is an automation rule (Odoo's ``base.automation``)
    whose action is *Open a Call to Action* with this play."""

    _name = "cs.play"
    _description = "Play"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="Archiving a play opens no new call to action; the open ones stay "
        "until done.",
    )
    description = fields.Text(translate=True, help="What the play is for.")
    cta_type = fields.Selection(
        CTA_TYPES, string="Type", required=True, default="risk", tracking=True
    )
    priority = fields.Selection(
        CTA_PRIORITIES, required=True, default="1", tracking=True
    )
    reason = fields.Char(
        required=True,
        translate=True,
        help="What the call to action says, in its reader's language, followed "
        "by the record that fired it.",
    )
    due_days = fields.Integer(
        string="Due in (Days)", default=3, help="The call to action's due date."
    )
    activity_plan_id = fields.Many2one(
        "mail.activity.plan",
        domain="[('res_model', '=', 'cs.cta')]",
        help="Launched on the call to action when it opens: its steps, with "
        "their delays and responsibles (the owner, for steps without one).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail to the Customer",
        domain="[('model', '=', 'cs.cta')]",
    )
    automation_ids = fields.One2many(
        "ir.actions.server",
        "cs_play_id",
        string="Triggered By",
        help="The automation rules' actions that run this play.",
    )
    disabled_company_ids = fields.Many2many(
        "res.company",
        string="Switched Off For",
        help="Companies for which this play opens nothing.",
    )
    cta_ids = fields.One2many("cs.cta", "play_id", string="Calls to Action")
    cta_count = fields.Integer(compute="_compute_cta_count")
    warning = fields.Text(compute="_compute_warning")

    @api.constrains("due_days")
    def _check_due_days(self):
        for play in self:
            if not 0 <= play.due_days <= 365:
                raise ValidationError(
                    self.env._("A call to action is due within 0 to 365 days.")
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_ctas(self):
        """A play that opened calls to action is archived, not deleted: its
        calls to action and their analysis keep it."""
        used = self.env["cs.cta"].sudo().search_count([("play_id", "in", self.ids)])
        if used:
            raise UserError(
                self.env._(
                    "These plays opened calls to action: archive them instead "
                    "(their calls to action stay until done)."
                )
            )

    def _compute_cta_count(self):
        counts = dict(
            self.env["cs.cta"]._read_group(
                [("play_id", "in", self.ids)], ["play_id"], ["__count"]
            )
        )
        for play in self:
            play.cta_count = counts.get(play, 0)

    @api.depends("activity_plan_id.template_ids.responsible_id.active")
    def _compute_warning(self):
        for play in self:
            gone = play.activity_plan_id.template_ids.filtered(
                lambda step: (
                    step.responsible_type == "other"
                    and step.responsible_id
                    and not step.responsible_id.active
                )
            )
            play.warning = (
                self.env._(
                    "Steps for a user who is no longer active go to the owner of "
                    "the call to action: %(steps)s.",
                    steps=", ".join(gone.mapped("summary") or gone.mapped("id")),
                )
                if gone
                else False
            )

    def _is_shipped(self, xmlid):
        """Whether this play is the shipped play ``xmlid`` (no query: the
        record id of an XML id is cached)."""
        return bool(self) and self.id == self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )

    def action_view_ctas(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_success.cs_cta_action"
        )
        action["domain"] = [("play_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------

    def _run_on(self, records):
        """Open (or update) this play's call to action for the customer of
        each of ``records`` (a customer, an invoice, a subscription, an
        answer...), all at once (see ``cs.cta._open_for_all``). Never raises
        for a record it cannot serve."""
        self.ensure_one()
        Cta = self.env["cs.cta"].sudo()
        if not self.active:
            return Cta
        targets = []
        for record in records:
            customer = Cta._get_customer_of(record)
            if not customer:
                continue
            company = Cta._get_company_of(record, customer)
            if company in self.disabled_company_ids:
                continue
            targets.append((record, customer, company))
        return Cta._open_for_all(self, targets)

    def _run_on_ids(self, model, ids):
        """:meth:`_run_on` for records given by model and ids (data files)."""
        return self._run_on(self.env[model].browse(ids))

    def _launch_plan(self, cta):
        """The play's activity plan on ``cta``: each step for its responsible,
        the owner when it has none or they are no longer active. A step
        without a summary takes its activity type's, in its responsible's
        language; the activities carry what fired the call to action."""
        self.ensure_one()
        plan = self.activity_plan_id
        if not plan:
            return
        owner = cta.user_id or cta.team_id.leader_id
        if not owner and self.env.user.active and not self.env.user._is_superuser():
            # run by a person (a rule fired by their own change): theirs
            owner = self.env.user
        if not owner:
            # nobody to give the steps to: a cron's system user would hide
            # them; the call to action already says nobody follows it
            return
        fired = Markup("<p>%s</p>") % cta.reason_note if cta.reason_note else ""
        # the note of the launch is read first by the owner: in their language
        lang = owner.lang or self.env.lang
        in_lang = self.with_context(lang=lang)
        lines = []
        for step in plan.template_ids:
            responsible = owner
            if step.responsible_type == "other" and step.responsible_id.active:
                responsible = step.responsible_id
            deadline = step._get_date_deadline(fields.Date.context_today(self))
            # the step and its type as their responsible reads them
            step = step.with_context(lang=responsible.lang or self.env.lang)
            activity_type = step.activity_type_id
            # no "assigned to you" e-mail per step: a first run can open
            # hundreds (60 ms each, mostly that e-mail); the owner finds them
            # among their activities and calls to action
            cta.with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=activity_type.id,
                summary=step.summary or activity_type.summary,
                note=Markup(step.note or "") + fired,
                user_id=responsible.id,
                date_deadline=deadline,
            )
            step = step.with_context(lang=lang)
            lines.append(
                Markup("<li>%s</li>")
                % in_lang.env._(
                    "%(step)s, for %(user)s",
                    step=step.summary or step.activity_type_id.name,
                    user=responsible.name,
                )
            )
        cta.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                in_lang.env._(
                    "Plan %(plan)s launched:", plan=plan.with_context(lang=lang).name
                ),
                Markup().join(lines),
            ),
            subtype_xmlid="mail.mt_note",
        )
