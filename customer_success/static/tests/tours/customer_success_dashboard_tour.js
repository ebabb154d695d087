/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const CARDS = [
    "mrr",
    "arr",
    "arpu",
    "paused_mrr",
    "logo_churn_rate",
    "revenue_churn_rate",
    "net_revenue_retention",
    "renewal_rate",
    "cltv",
    "cltv_paid",
    "nps",
    "avg_ttv",
];

function openAndComeBack(trigger, name, expected = ".o_list_view") {
    return [
        {
            content: `Open ${name}`,
            trigger,
            run: "click",
        },
        {
            content: `${name}: the records behind it`,
            trigger: expected,
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The dashboard again",
            trigger: ".o_cs_dashboard .o_cs_card[data-card='mrr']",
        },
    ];
}

registry.category("web_tour.tours").add("customer_success_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows the MRR of the month",
            trigger: ".o_cs_card[data-card='mrr'] .o_cs_card_value:contains('1,550')",
        },
        ...CARDS.flatMap((card) =>
            openAndComeBack(`.o_cs_card[data-card='${card}']`, `the ${card} card`)
        ),
        ...openAndComeBack(".o_cs_mrr_month:last", "this month's movements"),
        ...openAndComeBack(".o_cs_nps_month:last", "this month's NPS answers"),
        ...openAndComeBack(".o_cs_health_link[data-band='red']", "the red customers"),
        ...openAndComeBack(".o_cs_dunning_row", "the invoices of a dunning step"),
        ...openAndComeBack(".o_cs_onboarding_row", "the onboardings of a stage"),
        ...openAndComeBack(".o_cs_at_risk_all", "the customers at risk"),
        ...openAndComeBack(".o_cs_at_risk_row", "a customer at risk", ".o_form_view"),
        ...openAndComeBack(".o_cs_csm_row", "a success manager's portfolio"),
        {
            content: "The cohort of this year shows",
            trigger: ".o_cs_cohorts tbody tr",
        },
    ],
});
