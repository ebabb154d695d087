/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/* global Chart */
import {registry} from "@web/core/registry";

// Odoo's success, warning and danger: the colours of the band badges
const GREEN = "#28a745";
const YELLOW = "#ffac00";
const RED = "#dc3545";

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

function comeBack(name, expected = ".o_list_view") {
    return [
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

function openAndComeBack(trigger, name, expected = ".o_list_view") {
    return [{content: `Open ${name}`, trigger, run: "click"}, ...comeBack(name, expected)];
}

/** Click the last month of the chart in ``selector``, as a user would. */
function openLastMonth(selector, name) {
    return [
        {
            content: `Open ${name}`,
            trigger: `${selector} canvas`,
            run() {
                const chart = Chart.getChart(this.anchor);
                const rect = this.anchor.getBoundingClientRect();
                const {top, bottom} = chart.chartArea;
                const x = chart.scales.x.getPixelForValue(chart.data.labels.length - 1);
                this.anchor.dispatchEvent(
                    new MouseEvent("click", {
                        clientX: rect.left + x,
                        clientY: rect.top + (top + bottom) / 2,
                        bubbles: true,
                    })
                );
            },
        },
        ...comeBack(name),
    ];
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
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
        {
            content: "The MRR chart has its axes: MRR change and MRR",
            trigger: ".o_cs_mrr_chart canvas",
            run() {
                const chart = Chart.getChart(this.anchor);
                for (const axis of ["x", "change", "mrr"]) {
                    const scale = chart.scales[axis];
                    check(scale && scale.ticks.length, `The MRR chart has no ${axis} axis`);
                }
                const colors = Object.fromEntries(
                    chart.data.datasets.map((dataset) => [dataset.key, dataset.backgroundColor])
                );
                check(colors.churn === RED, `Churn is drawn ${colors.churn}`);
                check(colors.new === GREEN, `New MRR is drawn ${colors.new}`);
                check(colors.contraction === YELLOW, `Contraction is drawn ${colors.contraction}`);
            },
        },
        {
            content: "The NPS chart has its whole scale, and tells NPS 0 from no answer",
            trigger: ".o_cs_nps_chart canvas",
            run() {
                const chart = Chart.getChart(this.anchor);
                const y = chart.scales.y;
                check(y && y.min === -100 && y.max === 100, "The NPS axis is not -100 to 100");
                const bars = chart.getDatasetMeta(0).data;
                const last = bars.length - 1;
                const [dataset] = chart.data.datasets;
                // this month: one detractor (-100); last month: one passive (0)
                check(dataset.data[last] === -100, `This month's NPS: ${dataset.data[last]}`);
                check(dataset.data[last - 1] === 0, `Last month's NPS: ${dataset.data[last - 1]}`);
                check(bars[last - 1].height >= 3, "A month at NPS 0 shows no bar");
                check(dataset.data[last - 2] === null, "A month without answers has a value");
                // under each month its number of answers, a dash without any
                const answers = chart.data.labels.map((label) => label[1]);
                check(answers[last - 1] === "1", `Answers of last month: ${answers[last - 1]}`);
                check(answers[last - 2] === "–", `Answers of a month without: ${answers[last - 2]}`);
                const colors = dataset.backgroundColor;
                check(colors[last] === RED, `NPS -100 is drawn ${colors[last]}`);
                check(colors[last - 1] === YELLOW, `NPS 0 is drawn ${colors[last - 1]}`);
            },
        },
        {
            content: "The health bands have the colours of their badges",
            trigger: ".o_cs_health_band[data-band='red']",
            run() {
                const expected = {
                    green: "rgb(40, 167, 69)",
                    yellow: "rgb(255, 172, 0)",
                    red: "rgb(220, 53, 69)",
                };
                for (const [band, color] of Object.entries(expected)) {
                    const bar = document.querySelector(`.o_cs_health_band[data-band='${band}']`);
                    const drawn = getComputedStyle(bar).backgroundColor;
                    check(drawn === color, `The ${band} band is drawn ${drawn}`);
                }
            },
        },
        {
            content: "The customer with an onboarding and no score counts as not scored",
            trigger: ".o_cs_health_link[data-band='none']:contains('Not scored yet: 1')",
        },
        {
            content: "The average health counts the scored customer only",
            trigger: ".o_cs_health_average:contains('31.0')",
        },
        ...openLastMonth(".o_cs_mrr_chart", "this month's movements"),
        ...openLastMonth(".o_cs_nps_chart", "this month's NPS answers"),
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
