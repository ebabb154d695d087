# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.mail_tracking.controllers.main import MailTrackingController


class CustomerSuccessPortalInvoice(PortalAccount):
    """The customer's views of an invoice on the portal."""

    @http.route()
    def portal_my_invoice_detail(
        self, invoice_id, access_token=None, report_type=None, download=False, **kw
    ):
        response = super().portal_my_invoice_detail(
            invoice_id,
            access_token=access_token,
            report_type=report_type,
            download=download,
            **kw,
        )
        # a link preview (Odoo's own, in the chatter) is not the customer
        if request.httprequest.headers.get("Odoo-Link-Preview") == "True":
            return response
        try:
            invoice_sudo = self._document_check_access(
                "account.move", invoice_id, access_token
            )
        except (AccessError, MissingError):
            return response
        invoice_sudo._cs_record_portal_view(request.env.user)
        return response


class CustomerSuccessMailTracking(MailTrackingController):
    """The image that tells an e-mail was opened."""

    # read/write: the route records the open. Odoo 19 makes an auth="none"
    # route read-only unless told otherwise, and mail_tracking's own route
    # swallows the failed write, so every open would be lost. A callable,
    # as Odoo's routing allows, so the parent's read-only default is not
    # reported as overridden on every load.
    @http.route(readonly=lambda _controller, _rule, _args: False)
    def mail_tracking_open(self, db, tracking_email_id, token=False, **kw):
        return super().mail_tracking_open(db, tracking_email_id, token=token, **kw)
