/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/* global Chart */
import {registry} from "@web/core/registry";

// Odoo's success, warning and danger: the colours of the band badges
const GREEN = "#28a745";
const YELLOW = "#ffac00";
const RED = "#dc3545";

function assertColors(chart, attribute, expected) {
    const colors = Object.fromEntries(
        chart.data.datasets.map((dataset) => [dataset.label, dataset[attribute]])
    );
    for (const [label, color] of Object.entries(expected)) {
        if (colors[label] !== color) {
            throw new Error(`${label} is drawn ${colors[label]}, not ${color}`);
        }
    }
}

registry.category("web_tour.tours").add("customer_success_health_history_chart", {
    steps: () => [
        {
            content: "Health History: one line per band, not stacked, on a 0-100 axis",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = Chart.getChart(this.anchor);
                if (chart.config.type !== "line") {
                    throw new Error(`Health History opens on a ${chart.config.type} chart`);
                }
                if (chart.options.scales.y.stacked) {
                    throw new Error("Health History stacks the bands");
                }
                if (chart.scales.y.max > 100) {
                    throw new Error(`The score axis goes up to ${chart.scales.y.max}`);
                }
                assertColors(chart, "borderColor", {
                    Healthy: GREEN,
                    Attention: YELLOW,
                    "At Risk": RED,
                });
                // six weeks ago only a healthy customer: no red point at 0
                const atRisk = chart.data.datasets.find((d) => d.label === "At Risk");
                if (atRisk.data[0] !== null) {
                    throw new Error(`A week without red customers: ${atRisk.data[0]}`);
                }
                const healthy = chart.data.datasets.find((d) => d.label === "Healthy");
                if (healthy.data[0] !== 85) {
                    throw new Error(`The healthy average six weeks ago: ${healthy.data[0]}`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("customer_success_mrr_movements_chart", {
    steps: () => [
        {
            content: "MRR movements: churn red, new customers green",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = Chart.getChart(this.anchor);
                assertColors(chart, "backgroundColor", {Churn: RED, New: GREEN});
            },
        },
    ],
});
