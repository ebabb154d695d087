# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Success - Brazil",
    "summary": "Pix in every reminder and on the portal, and a Brazilian demo company",
    "version": "19.0.1.0.0",
    "development_status": "Alpha",
    "category": "Customer Success",
    "website": "https://github.com/customer-success/customer_success",
    "author": "customer_success contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["customer_success", "l10n_br"],
    "data": [
        "data/mail_activity_type_data.xml",
        "views/dunning_snippets.xml",
    ],
    "post_init_hook": "post_init_hook",
}
