# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

MESSAGES = ("paused", "plan", "saved", "cancelled", "requested")


class CustomerSuccessRetentionPortal(CustomerPortal):
    """The customer's running subscriptions, and pausing, changing plan or
    cancelling them."""

    def _cs_get_subscription_domain(self):
        customer = request.env.user.partner_id.commercial_partner_id
        return [
            ("cs_commercial_partner_id", "=", customer.id),
            ("stage_id.type", "=", "in_progress"),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cs_subscription_count" in counters:
            # sudo: portal users have no access to subscriptions; the domain
            # keeps to the user's own company
            values["cs_subscription_count"] = (
                request.env["sale.subscription"]
                .sudo()
                .search_count(self._cs_get_subscription_domain())
            )
        return values

    def _cs_get_subscription(self, subscription_id, act=False):
        """The subscription of the user's company, as sudo; 404 for any other
        (nothing tells another customer's apart from one that does not
        exist), 403 when ``act`` and the user may not act on it."""
        subscription = request.env["sale.subscription"].sudo().browse(subscription_id)
        customer = request.env.user.partner_id.commercial_partner_id
        if (
            not subscription.exists()
            or subscription.cs_commercial_partner_id != customer
            or subscription.stage_id.type not in ("in_progress", "post")
        ):
            raise NotFound()
        if act and not self._cs_may_act(subscription):
            raise Forbidden()
        return subscription

    def _cs_may_act(self, subscription):
        return request.env.user.partner_id in subscription._cs_get_portal_actors()

    def _cs_render(self, template, subscription, **values):
        page = self._prepare_portal_layout_values()
        page.update(
            {
                "page_name": "cs_subscription",
                "subscription": subscription,
                "may_act": self._cs_may_act(subscription),
                **values,
            }
        )
        return request.render(template, page)

    def _cs_redirect(self, subscription, message=None, path=""):
        url = f"/my/subscriptions/{subscription.id}{path}"
        if message:
            url += f"?message={message}"
        return request.redirect(url)

    @http.route("/my/subscriptions", type="http", auth="user", website=True)
    def portal_my_cs_subscriptions(self, **kwargs):
        subscriptions = (
            request.env["sale.subscription"]
            .sudo()
            .search(self._cs_get_subscription_domain(), order="recurring_next_date, id")
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "cs_subscriptions", "subscriptions": subscriptions})
        return request.render("customer_success.portal_my_cs_subscriptions", values)

    @http.route(
        "/my/subscriptions/<int:subscription_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_cs_subscription(self, subscription_id, message=None, **kwargs):
        subscription = self._cs_get_subscription(subscription_id)
        return self._cs_render(
            "customer_success.portal_my_cs_subscription",
            subscription,
            message=message if message in MESSAGES else None,
            cancellation=subscription._cs_get_retention_request(),
        )

    # ------------------------------------------------------------------
    # Pause and change of plan
    # ------------------------------------------------------------------

    @http.route(
        "/my/subscriptions/<int:subscription_id>/pause",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_cs_subscription_pause(self, subscription_id, months=None, **kw):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        error = None
        if request.httprequest.method == "POST":
            months = int(months) if str(months or "").isdigit() else 0
            try:
                subscription._cs_check_no_request()
                subscription._cs_retention_pause(months)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                subscription._cs_portal_confirm(request.env.user.partner_id)
                return self._cs_redirect(subscription, "paused")
        return self._cs_render(
            "customer_success.portal_my_cs_subscription_pause",
            subscription,
            choices=subscription._cs_get_pause_choices(),
            error=error,
        )

    @http.route(
        "/my/subscriptions/<int:subscription_id>/plan",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_cs_subscription_plan(self, subscription_id, product_id=None, **kw):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        options = subscription._cs_get_plan_options()
        error = None
        if request.httprequest.method == "POST":
            plan = request.env["product.product"].sudo()
            if product_id and str(product_id).isdigit():
                plan = plan.browse(int(product_id)).exists()
            try:
                subscription._cs_check_no_request()
                subscription._cs_schedule_plan_change(plan)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                subscription._cs_portal_confirm(request.env.user.partner_id)
                return self._cs_redirect(subscription, "plan")
        return self._cs_render(
            "customer_success.portal_my_cs_subscription_plan",
            subscription,
            options=options,
            current_price=subscription._cs_get_current_plan_price(),
            error=error,
        )

    # ------------------------------------------------------------------
    # Cancelling
    # ------------------------------------------------------------------

    @http.route(
        "/my/subscriptions/<int:subscription_id>/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_cs_subscription_cancel(
        self, subscription_id, reason_id=None, reason_text="", competitor="", **kw
    ):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        if subscription._cs_get_retention_request():
            # already asked: its state, and nothing new
            return self._cs_redirect(subscription, path="/cancellation")
        reasons = subscription._cs_get_exit_reasons()
        error = None
        if request.httprequest.method == "POST":
            reason = request.env["survey.question.answer"].sudo()
            if reason_id and str(reason_id).isdigit():
                reason = reason.browse(int(reason_id)).exists()
            try:
                request.env["cs.retention.request"].sudo()._cs_create_request(
                    subscription,
                    request.env.user.partner_id,
                    reason,
                    text=reason_text,
                    competitor=competitor,
                )
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return self._cs_redirect(subscription, path="/cancellation")
        return self._cs_render(
            "customer_success.portal_my_cs_subscription_cancel",
            subscription,
            reasons=reasons,
            error=error,
            reason_text=reason_text,
            competitor=competitor,
        )

    @http.route(
        "/my/subscriptions/<int:subscription_id>/cancellation",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_cs_subscription_cancellation(self, subscription_id, **kw):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        cancellation = (
            subscription._cs_get_retention_request()
            or (subscription.cs_retention_request_ids[:1])
        )
        if not cancellation:
            return self._cs_redirect(subscription, path="/cancel")
        return self._cs_render(
            "customer_success.portal_my_cs_subscription_cancellation",
            subscription,
            cancellation=cancellation,
            offers=cancellation._cs_get_offers()
            if cancellation.state == "offered"
            else [],
            error=kw.get("error") and request.env._("This offer is not available."),
        )

    @http.route(
        "/my/subscriptions/<int:subscription_id>/cancellation/accept",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_cs_subscription_accept(
        self, subscription_id, offer_id=None, months=None, **kw
    ):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        cancellation = subscription._cs_get_retention_request()
        if cancellation.state != "offered":
            return self._cs_redirect(subscription, path="/cancellation")
        offer = request.env["cs.retention.offer"].sudo()
        if offer_id and str(offer_id).isdigit():
            offer = offer.browse(int(offer_id)).exists()
        try:
            cancellation._cs_take_offer(
                offer, months=int(months) if str(months or "").isdigit() else 0
            )
        except (UserError, ValidationError):
            return self._cs_redirect(subscription, path="/cancellation?error=1")
        return self._cs_redirect(subscription, "saved")

    @http.route(
        "/my/subscriptions/<int:subscription_id>/cancellation/decline",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_cs_subscription_decline(self, subscription_id, **kw):
        subscription = self._cs_get_subscription(subscription_id, act=True)
        cancellation = subscription._cs_get_retention_request()
        if cancellation.state == "offered":
            cancellation._cs_decline()
        return self._cs_redirect(subscription, path="/cancellation")
