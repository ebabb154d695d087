# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..const import HIGH_TOUCH_MODELS


class ResPartner(models.Model):
    """The touch model: how each customer is served, the exclusive success
    manager and the capacity of the success managers."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    touch_model_id = fields.Many2one(
        "cs.touch.model",
        compute="_compute_touch_model_id",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        index="btree_not_null",
        domain="[('company_id', '=', company_id or current_company_id)]",
        help="How this customer is served, from fully automated to one dedicated "
        "success manager. Assigned from the monthly recurring revenue and the "
        "tags, unless a manager locked it.",
    )
    touch_model = fields.Selection(
        string="Touch Level",
        related="touch_model_id.level",
        store=True,
    )
    touch_model_reason = fields.Selection(
        [
            ("revenue", "Monthly recurring revenue"),
            ("tag", "Customer tags"),
            ("locked", "Locked by a manager"),
            ("exclusive_taken", "Exclusive CSM already serves another customer"),
            ("no_rule", "No rule fits"),
        ],
        string="Assigned By",
        compute="_compute_touch_model_id",
        store=True,
        tracking=True,
    )
    touch_model_locked = fields.Boolean(
        string="Lock Touch Model",
        tracking=True,
        copy=False,
        help="Keep the touch model chosen by a manager: revenue changes no longer "
        "reassign it.",
    )
    csm_over_capacity = fields.Boolean(
        string="CSM Over Capacity", compute="_compute_csm_over_capacity"
    )

    @api.depends(
        "recurring_revenue",
        "has_running_subscription",
        "category_id",
        "touch_model_locked",
        "parent_id",
    )
    def _compute_touch_model_id(self):
        """Assign the touch model from the rules, to the customers with a
        running subscription whose model is not locked; the others keep theirs,
        and so does a customer whose subscriptions are all paused.
        """
        customers = self.filtered(lambda partner: not partner.parent_id)
        (self - customers).update(
            {"touch_model_id": False, "touch_model_reason": False}
        )
        locked = customers.filtered("touch_model_locked")
        locked.touch_model_reason = "locked"
        # idle: nothing running, or nothing billed while its subscriptions
        # run (all paused): a pause is not a downgrade, the customer keeps
        # the model it had until it pays again
        idle = customers.filtered(
            lambda partner: (
                not partner.touch_model_locked
                and (
                    not partner.has_running_subscription
                    or (not partner.recurring_revenue and partner.touch_model_id)
                )
            )
        )
        for partner in idle:
            # stored computes must assign: keep what the customer has
            partner.touch_model_id = partner.touch_model_id
            partner.touch_model_reason = partner.touch_model_reason
        to_assign = customers - locked - idle
        if not to_assign:
            return
        companies = to_assign.company_id | self.env.company
        models_by_company = defaultdict(lambda: self.env["cs.touch.model"])
        for model in self.env["cs.touch.model"].search(
            [("company_id", "in", companies.ids)]
        ):
            models_by_company[model.company_id] |= model
        busy_csms = to_assign._cs_get_exclusive_csms()
        for partner in to_assign:
            company = partner.company_id or self.env.company
            match = models_by_company[company]._get_best_match(
                partner.recurring_revenue, partner.category_id
            )
            reason = "tag" if match.tag_ids else "revenue"
            if (
                match.level == "exclusive"
                and partner.csm_id
                and partner.touch_model_id != match
                and partner.csm_id.id in busy_csms
            ):
                match, reason = partner.touch_model_id, "exclusive_taken"
            elif match.level == "exclusive" and partner.csm_id:
                busy_csms.add(partner.csm_id.id)
            partner.touch_model_id = match
            partner.touch_model_reason = reason if match else "no_rule"

    def _cs_get_exclusive_csms(self):
        """Ids of the success managers already serving an exclusive customer
        other than ``self``.

        Read in SQL on purpose: this runs while touch models are being
        computed, and an ORM search would flush that very computation.
        """
        csm_ids = tuple(self.csm_id.ids)
        if not csm_ids:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.csm_id
                  FROM res_partner p
                  JOIN cs_touch_model t ON t.id = p.touch_model_id
                 WHERE t.level = 'exclusive'
                   AND p.parent_id IS NULL
                   AND p.csm_id IN %s
                   AND p.id NOT IN %s
                """,
                csm_ids,
                tuple(self._origin.ids) or (0,),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.depends("csm_id", "touch_model_id")
    def _compute_csm_over_capacity(self):
        customers = self.filtered(
            lambda partner: (
                partner.csm_id and partner.touch_model_id.max_accounts_per_csm
            )
        )
        (self - customers).csm_over_capacity = False
        if not customers:
            return
        counts = {
            (csm, model): count
            for csm, model, count in self._read_group(
                [
                    ("csm_id", "in", customers.csm_id.ids),
                    ("touch_model_id", "in", customers.touch_model_id.ids),
                    ("parent_id", "=", False),
                ],
                groupby=["csm_id", "touch_model_id"],
                aggregates=["__count"],
            )
        }
        for partner in customers:
            model = partner.touch_model_id
            count = counts.get((partner.csm_id, model), 0)
            partner.csm_over_capacity = count > model.max_accounts_per_csm

    @api.constrains("csm_id", "touch_model_id")
    def _check_exclusive_csm(self):
        exclusive = self.filtered(
            lambda partner: (
                partner.csm_id
                and not partner.parent_id
                and partner.touch_model_id.level == "exclusive"
            )
        )
        if not exclusive:
            return
        # sudo: the rule holds across portfolios the user may not see
        for csm, customers in self.sudo()._read_group(
            [
                ("csm_id", "in", exclusive.csm_id.ids),
                ("touch_model_id.level", "=", "exclusive"),
                ("parent_id", "=", False),
            ],
            groupby=["csm_id"],
            aggregates=["id:recordset"],
        ):
            if len(customers) > 1:
                raise ValidationError(
                    self.env._(
                        "%(csm)s is the dedicated success manager of "
                        "%(customers)s: an exclusive-touch customer has a CSM of "
                        "its own. Choose another success manager.",
                        csm=csm.name,
                        customers=", ".join(customers.mapped("display_name")),
                    )
                )

    @api.model
    def _cs_check_touch_model_vals(self, vals):
        """A touch model set by hand is locked, and only managers lock."""
        if vals.get("touch_model_id") and "touch_model_locked" not in vals:
            vals["touch_model_locked"] = True
        if "touch_model_locked" in vals and not (
            self.env.su
            or self.env.user.has_group(
                "customer_success.customer_success_group_manager"
            )
        ):
            raise UserError(
                self.env._(
                    "Only customer success managers can choose or lock the touch "
                    "model of a customer."
                )
            )

    def action_cs_unlock_touch_model(self):
        """Let the revenue rules assign the touch model again."""
        self.write({"touch_model_locked": False})

    def _cs_is_high_touch(self):
        self.ensure_one()
        return self.commercial_partner_id.touch_model in HIGH_TOUCH_MODELS
