/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_success_health_validation", {
    steps: () => [
        {
            content: "The sentence at the top says how much more often red churned",
            trigger:
                ".o_form_view h2:contains('Customers in red churned 2.0 times as often as customers in green')",
        },
        {
            content: "Red churned every time: 100.0%",
            trigger: ".o_cs_validation_bands tr[data-band='red'] .o_cs_validation_rate:contains('100.0')",
        },
        {
            content: "Green churned half of the time: 50.0%",
            trigger: ".o_cs_validation_bands tr[data-band='green'] .o_cs_validation_rate:contains('50.0')",
        },
        {
            content: "Too few churns: the notice says so",
            trigger: ".o_form_view .alert-warning:contains('not reliable yet')",
        },
        {
            content: "Drill down from the red churn rate",
            trigger: ".o_form_view button:contains('At Risk')",
            run: "click",
        },
        {
            content: "The red customers, both churned",
            trigger: ".o_list_view .o_data_row:contains('Vermelho Um')",
        },
        {
            content: "... and only them",
            trigger: ".o_list_view:has(.o_data_row:contains('Vermelho Dois')):not(:has(.o_data_row:contains('Verde')))",
        },
    ],
});
