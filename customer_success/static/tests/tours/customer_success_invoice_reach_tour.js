/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The customer follows the link of the reminder: the portal shows its invoice.
registry.category("web_tour.tours").add("customer_success_invoice_reach", {
    steps: () => [
        {
            content: "The invoice of the reminder opens on the portal",
            trigger: "#invoice_content",
        },
        {
            content: "Its sidebar shows the amount of the reminder",
            trigger: ".o_portal_invoice_sidebar h2:contains('199.00')",
        },
    ],
});
