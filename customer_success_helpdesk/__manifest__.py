# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Success - Helpdesk",
    "summary": "Support tickets in the health score, on the customer and for its "
    "success manager",
    "version": "19.0.1.0.0",
    "development_status": "Alpha",
    "category": "Customer Success",
    "website": "https://github.com/customer-success/customer_success",
    "author": "customer_success contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["customer_success", "helpdesk_mgmt"],
    "data": [
        "security/customer_success_helpdesk_security.xml",
        "data/cs_health_factor_data.xml",
        "data/mail_activity_type_data.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/helpdesk_ticket_demo.xml"],
    "assets": {
        "web.assets_tests": ["customer_success_helpdesk/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
}
