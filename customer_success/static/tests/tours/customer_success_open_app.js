/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_success_open_app", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Customer Success app",
            trigger: ".o_app[data-menu-xmlid='customer_success.customer_success_menu_root']",
            run: "click",
        },
        {
            content: "The app opens on its dashboard",
            trigger: ".o_cs_dashboard .o_cs_card[data-card='mrr']",
        },
        {
            content: "Open the customers",
            trigger: "a[data-menu-xmlid='customer_success.res_partner_menu_customers']",
            run: "click",
        },
        {
            content: "The portfolio shows the customer of this CSM",
            trigger: ".o_kanban_record:contains('Tour Hosting Ltda')",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows the success manager column",
            trigger: ".o_list_table th[data-name='csm_id']",
        },
    ],
});
