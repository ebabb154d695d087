# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date


class SaleSubscription(models.Model):
    """Pausing, changing plan and cancelling, as the customer asks from the
    portal."""

    _inherit = ["sale.subscription", "cs.cron.mixin", "cs.mail.mixin"]
    _name = "sale.subscription"

    cs_retention_request_ids = fields.One2many(
        "cs.retention.request", "subscription_id", string="Cancellation Requests"
    )
    cs_cancel_date = fields.Date(
        string="Cancels On",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
        help="The customer cancelled: the subscription closes on this day, the "
        "first one not paid for.",
    )
    cs_next_product_id = fields.Many2one(
        "product.product",
        string="Next Plan",
        copy=False,
        readonly=True,
        tracking=True,
        help="The plan the subscription changes to from its next period.",
    )
    cs_next_product_date = fields.Date(
        string="Plan Changes On", copy=False, readonly=True
    )
    cs_discount_percent = fields.Float(
        string="Retention Discount (%)", copy=False, readonly=True, tracking=True
    )
    cs_discount_invoices_left = fields.Integer(
        string="Discounted Invoices Left", copy=False, readonly=True, tracking=True
    )
    cs_plan_id = fields.Many2one(
        "product.product",
        string="Plan",
        compute="_compute_cs_plan_id",
        help="The product of the subscription's plan line.",
    )

    @api.depends("sale_subscription_line_ids.product_id")
    def _compute_cs_plan_id(self):
        for subscription in self:
            subscription.cs_plan_id = subscription._cs_get_plan_line().product_id

    # ------------------------------------------------------------------
    # Who may act, on what
    # ------------------------------------------------------------------

    def _cs_get_portal_actors(self):
        """The contacts allowed to pause, change or cancel this subscription:
        its signer (the contact it is made out to) and the customer's
        decision makers."""
        self.ensure_one()
        customer = self.cs_commercial_partner_id
        # sudo: the portal user asking, who may not read stakeholders
        stakeholders = (
            self.env["cs.stakeholder"]
            .sudo()
            .search([("partner_id", "=", customer.id), ("role", "=", "decision_maker")])
        )
        return self.partner_id | stakeholders.contact_id

    def _cs_portal_confirm(self, contact):
        """E-mail ``contact`` the pause or plan change they just made, in
        their language."""
        self.ensure_one()
        template = self.env.ref(
            "customer_success.mail_template_cs_subscription_change",
            raise_if_not_found=False,
        )
        if template and contact.email:
            self.with_context(
                cs_recipient_lang=contact.lang, cs_recipient_name=contact.name
            )._cs_post_template(template, contact)

    def _cs_get_retention_request(self):
        """The request under way, or the cancellation already decided."""
        self.ensure_one()
        requests = self.sudo().cs_retention_request_ids
        return (
            requests.filtered(
                lambda request: request.state in ("requested", "offered")
            )[:1]
            or (
                self.cs_cancel_date
                and requests.filtered(lambda request: request.state == "cancelled")[:1]
            )
            or self.env["cs.retention.request"]
        )

    def _cs_get_exit_reasons(self):
        """The answers of the exit survey's reason question: the company's
        exit campaign's, else the shipped survey's."""
        self.ensure_one()
        # sudo: the portal user chooses among the exit survey's answers
        campaign = (
            self.env["cs.nps.campaign"]
            .sudo()
            .search(
                [("kind", "=", "exit"), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        survey = campaign.survey_id or self.env.ref(
            "customer_success.survey_cs_nps_exit", raise_if_not_found=False
        )
        questions = survey.sudo().question_ids.filtered(
            lambda question: question.cs_nps_role == "exit_reason"
        )
        return questions.suggested_answer_ids

    # ------------------------------------------------------------------
    # Plans
    # ------------------------------------------------------------------

    def _cs_get_plan_line(self):
        """The line of the plan: the dearest subscribable product's."""
        self.ensure_one()
        lines = self.sale_subscription_line_ids
        plans = lines.filtered(lambda line: line.product_id.subscribable) or lines
        return plans.sorted("price_subtotal", reverse=True)[:1]

    def _cs_get_plan_price(self, product):
        """The price of ``product`` for this subscription (its pricelist)."""
        self.ensure_one()
        if self.pricelist_id:
            return self.pricelist_id._get_product_price(product, 1.0)
        return product.lst_price

    def _cs_get_plan_options(self):
        """[(plan, price)] the subscription may change to, cheapest first:
        the subscribable products of the same product line (category) and
        period as its plan."""
        self.ensure_one()
        current = self._cs_get_plan_line().product_id
        if not current:
            return []
        products = (
            self.env["product.product"]
            .sudo()
            .search(
                [
                    ("subscribable", "=", True),
                    ("sale_ok", "=", True),
                    ("categ_id", "=", current.categ_id.id),
                    ("id", "!=", current.id),
                    ("company_id", "in", (False, self.company_id.id)),
                    (
                        "subscription_template_id",
                        "in",
                        (False, self.template_id.id),
                    ),
                ]
            )
        )
        options = [(product, self._cs_get_plan_price(product)) for product in products]
        return sorted(options, key=lambda option: (option[1], option[0].id))

    def _cs_get_current_plan_price(self):
        line = self._cs_get_plan_line()
        return line.price_subtotal / (line.product_uom_qty or 1.0) if line else 0.0

    def _cs_get_cheaper_plan(self):
        """The dearest plan of the same line cheaper than the current one."""
        current = self._cs_get_current_plan_price()
        cheaper = [
            product for product, price in self._cs_get_plan_options() if price < current
        ]
        return cheaper[-1] if cheaper else self.env["product.product"]

    def _cs_get_plan_mrr(self, plan):
        """The MRR once the plan line is ``plan`` at its price."""
        self.ensure_one()
        line = self._cs_get_plan_line()
        total = (
            self.recurring_total
            - line.price_subtotal
            + self._cs_get_plan_price(plan) * (line.product_uom_qty or 1.0)
        )
        months = self.template_id._cs_get_months()
        return self.cs_currency_id.round(total / months)

    def _cs_schedule_plan_change(self, plan):
        """Change the plan to ``plan`` from the next period."""
        self.ensure_one()
        self._cs_check_running()
        if plan not in [product for product, _price in self._cs_get_plan_options()]:
            raise ValidationError(
                self.env._(
                    "This plan cannot replace %(plan)s.",
                    plan=self._cs_get_plan_line().product_id.display_name,
                )
            )
        day = self.recurring_next_date or fields.Date.context_today(self)
        self.write({"cs_next_product_id": plan.id, "cs_next_product_date": day})
        self.message_post(
            body=self.env._(
                "The plan changes to %(plan)s on %(date)s.",
                plan=plan.display_name,
                date=format_date(self.env, day),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _cs_apply_plan_change(self):
        """Put the next plan on the plan line, at its price."""
        for subscription in self.filtered(
            lambda sub: sub.cs_next_product_id and sub.stage_id.type == "in_progress"
        ):
            line = subscription._cs_get_plan_line()
            plan = subscription.cs_next_product_id
            previous = line.product_id
            line.write(
                {
                    "product_id": plan.id,
                    "name": plan.get_product_multiline_description_sale()
                    or plan.display_name,
                    "price_unit": subscription._cs_get_plan_price(plan),
                }
            )
            subscription.write(
                {"cs_next_product_id": False, "cs_next_product_date": False}
            )
            subscription.message_post(
                body=self.env._(
                    "Plan changed from %(old)s to %(new)s.",
                    old=previous.display_name,
                    new=plan.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Pausing, discounting, cancelling
    # ------------------------------------------------------------------

    def _cs_check_running(self):
        self.ensure_one()
        if self.stage_id.type != "in_progress" or self.cs_cancel_date:
            raise UserError(self.env._("This subscription is not running."))

    def _cs_check_no_request(self):
        """A pause or a change of plan asked outside a cancellation request
        waits until the request under way is decided."""
        self.ensure_one()
        if self._cs_get_retention_request():
            raise UserError(
                self.env._(
                    "A cancellation request is under way for this subscription: "
                    "its offers are on the cancellation page."
                )
            )

    def _cs_get_pause_choices(self):
        """The pause lengths (months) the company allows."""
        return list(range(1, self.company_id.cs_retention_pause_months + 1))

    def _cs_retention_pause(self, months):
        """Pause for ``months`` months from today; the next invoice moves by as
        much (the days already paid are served after the pause)."""
        self.ensure_one()
        self._cs_check_running()
        if months not in self._cs_get_pause_choices():
            raise ValidationError(
                self.env._(
                    "%(company)s allows a pause of 1 to %(max)s months.",
                    company=self.company_id.name,
                    max=self.company_id.cs_retention_pause_months,
                )
            )
        if self.is_paused:
            raise UserError(self.env._("This subscription is already paused."))
        until = fields.Date.context_today(self) + relativedelta(months=months)
        values = {}
        if self.recurring_next_date:
            values["recurring_next_date"] = self.recurring_next_date + relativedelta(
                months=months
            )
        if self.cs_next_product_date:
            values["cs_next_product_date"] = self.cs_next_product_date + relativedelta(
                months=months
            )
        self.write(values)
        self.action_pause(paused_until=until)
        return until

    def _cs_retention_discount(self, percent, invoices):
        """``percent`` off the next ``invoices`` invoices."""
        self.ensure_one()
        self._cs_check_running()
        company = self.company_id
        if not 0 < percent <= company.cs_retention_max_discount:
            raise ValidationError(
                self.env._(
                    "%(company)s allows a discount of up to %(max)s%%.",
                    company=company.name,
                    max=company.cs_retention_max_discount,
                )
            )
        if invoices < 1:
            raise ValidationError(self.env._("Discount at least one invoice."))
        self.write(
            {"cs_discount_percent": percent, "cs_discount_invoices_left": invoices}
        )

    def _cs_get_paid_until(self):
        """The first day not paid for: the next invoice's date."""
        self.ensure_one()
        return self.recurring_next_date or fields.Date.context_today(self)

    def _cs_schedule_cancellation(self, end, request):
        """Close on ``end``, with ``request``'s reason."""
        self.ensure_one()
        # sudo: the success manager letting it go has no survey rights
        reason = request.sudo().reason_id.with_context(lang=self.env.lang).value
        text = "\n".join(filter(None, [reason, request.reason_text]))
        self.write(
            {
                "cs_cancel_date": end,
                "cs_exit_reason": text or False,
                "cs_exit_competitor": request.competitor or False,
            }
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(contact)s cancelled: the subscription closes on %(date)s.",
                contact=request.contact_id.name,
                date=format_date(self.env, end),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _cs_unschedule_cancellation(self):
        self.write(
            {
                "cs_cancel_date": False,
                "cs_exit_reason": False,
                "cs_exit_competitor": False,
            }
        )
        for subscription in self:
            subscription.message_post(
                body=self.env._("The cancellation was reverted."),
                subtype_xmlid="mail.mt_note",
            )

    def _cs_close_cancelled(self):
        """Close the cancelled subscriptions whose paid period is over, on
        their cancellation day (the month their MRR churns)."""
        for subscription in self.filtered(
            lambda sub: sub.cs_cancel_date and sub.stage_id.type != "post"
        ):
            day = subscription.cs_cancel_date
            subscription.with_company(subscription.company_id).close_subscription()
            subscription.write(
                {
                    "cs_close_date": day,
                    "cs_next_product_id": False,
                    "cs_next_product_date": False,
                    "cs_discount_invoices_left": 0,
                }
            )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def generate_invoice(self):
        """A cancelled subscription whose paid period is over closes instead
        of invoicing again; a plan change due starts with the period."""
        self.ensure_one()
        if self.cs_cancel_date and self.cs_cancel_date <= (
            self.recurring_next_date or self.cs_cancel_date
        ):
            self._cs_close_cancelled()
            return None
        if self.cs_next_product_id and self.cs_next_product_date <= (
            self.recurring_next_date or self.cs_next_product_date
        ):
            self._cs_apply_plan_change()
        return super().generate_invoice()

    def _prepare_account_move(self, line_ids):
        """A retention discount takes its share off the next invoices."""
        values = super()._prepare_account_move(line_ids)
        if self.cs_discount_invoices_left > 0 and self.cs_discount_percent:
            # the field's default is not set on the companies that existed
            # before the product was loaded (the install, the upgrade)
            product = self.company_id.cs_retention_discount_product_id or self.env.ref(
                "customer_success.product_cs_retention_discount",
                raise_if_not_found=False,
            )
            total = self.cs_discount_invoices_left
            name = self.env._(
                "Retention discount of %(percent)s%%",
                percent=f"{self.cs_discount_percent:g}",
            )
            values["invoice_line_ids"] = [
                *values["invoice_line_ids"],
                Command.create(
                    {
                        "product_id": product.id,
                        "name": name,
                        "quantity": 1,
                        "price_unit": -self.cs_currency_id.round(
                            self.recurring_total * self.cs_discount_percent / 100
                        ),
                        # the plan's taxes: the discount lowers the taxed
                        # amount as the plan line raised it
                        "tax_ids": [Command.set(self._cs_get_plan_line().tax_ids.ids)],
                    }
                ),
            ]
            self.cs_discount_invoices_left = total - 1
        return values
