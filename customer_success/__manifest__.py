# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Success",
    "summary": "Customer success inside the ERP, for prepaid subscription businesses",
    "version": "19.0.1.0.0",
    "development_status": "Alpha",
    "category": "Customer Success",
    "website": "https://github.com/customer-success/customer_success",
    "author": "customer_success contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["account", "mail", "contacts", "survey", "subscription_oca"],
    "external_dependencies": {"python": ["num2words", "requests"]},
    "data": [
        "security/customer_success_security.xml",
        "security/ir.model.access.csv",
        "views/cs_team_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/cs_team_demo.xml"],
    "assets": {
        "web.assets_tests": ["customer_success/static/tests/tours/*.js"],
    },
}
