/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/* global Chart */
import {BAND_COLORS, MOVEMENT_COLORS, NO_BAND_COLOR} from "../cs_colors";
import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {loadBundle} from "@web/core/assets";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const MRR_COLOR = "#374151";

/** The colour of a month's NPS: above zero good, zero attention, below bad. */
export function npsColor(nps) {
    if (nps === null) {
        return NO_BAND_COLOR;
    }
    if (nps > 0) {
        return BAND_COLORS.green;
    }
    return nps === 0 ? BAND_COLORS.yellow : BAND_COLORS.red;
}

/**
 * The MRR chart: each month's movements stacked on the left axis (gains
 * above zero, losses below), the MRR as a line on the right axis.
 */
export function mrrChartConfig(trend, money, onClick) {
    const months = trend.months;
    return {
        type: "bar",
        data: {
            labels: months.map((month) => month.label),
            datasets: [
                {
                    type: "line",
                    key: "mrr",
                    label: _t("MRR"),
                    data: months.map((month) => month.mrr),
                    yAxisID: "mrr",
                    borderColor: MRR_COLOR,
                    backgroundColor: MRR_COLOR,
                    tension: 0,
                    order: 0,
                },
                ...trend.movements.map((movement) => ({
                    key: movement.key,
                    label: movement.label,
                    data: months.map((month) => month.movements[movement.key] || 0),
                    backgroundColor: MOVEMENT_COLORS[movement.key],
                    stack: "movements",
                    yAxisID: "change",
                    order: 1,
                })),
            ],
        },
        options: {
            maintainAspectRatio: false,
            animation: false,
            interaction: {mode: "index", intersect: false},
            onClick,
            plugins: {
                legend: {position: "bottom", labels: {boxWidth: 12}},
                tooltip: {
                    filter: (item) => item.raw !== 0,
                    callbacks: {
                        label: (item) => `${item.dataset.label}: ${money(item.raw)}`,
                    },
                },
            },
            scales: {
                x: {stacked: true, grid: {display: false}},
                change: {
                    type: "linear",
                    position: "left",
                    stacked: true,
                    title: {display: true, text: _t("MRR change")},
                    ticks: {callback: (value) => money(value)},
                },
                mrr: {
                    type: "linear",
                    position: "right",
                    beginAtZero: true,
                    title: {display: true, text: _t("MRR")},
                    grid: {drawOnChartArea: false},
                    ticks: {callback: (value) => money(value)},
                },
            },
        },
    };
}

/** "3 answers", "1 answer" or "no answers". */
export function answersLabel(count) {
    if (!count) {
        return _t("no answers");
    }
    return count === 1 ? _t("1 answer") : _t("%s answers", count);
}

/**
 * The NPS chart, on its whole scale (-100 to 100). A month at NPS 0 shows a
 * short bar on the zero line; a month without answers shows none, and a dash
 * instead of its number of answers under its name.
 */
export function npsChartConfig(trend, onClick) {
    return {
        type: "bar",
        data: {
            labels: trend.map((point) => [point.label, point.count ? `${point.count}` : "–"]),
            datasets: [
                {
                    key: "nps",
                    label: _t("NPS"),
                    data: trend.map((point) => point.nps),
                    backgroundColor: trend.map((point) => npsColor(point.nps)),
                    minBarLength: 4,
                },
            ],
        },
        options: {
            maintainAspectRatio: false,
            animation: false,
            interaction: {mode: "index", intersect: false},
            onClick,
            plugins: {
                legend: {display: false},
                tooltip: {
                    filter: (item) => item.raw !== null,
                    callbacks: {
                        label: (item) =>
                            `${_t("NPS")}: ${formatFloat(item.raw, {digits: [16, 1]})}`,
                        footer: ([item]) => answersLabel(trend[item.dataIndex].count),
                    },
                },
            },
            scales: {
                x: {
                    grid: {display: false},
                    ticks: {autoSkip: false, maxRotation: 0, font: {size: 10}},
                    title: {display: true, text: _t("Month and number of answers")},
                },
                y: {
                    min: -100,
                    max: 100,
                    ticks: {stepSize: 50},
                    title: {display: true, text: _t("NPS")},
                },
            },
        },
    };
}

/**
 * The landing screen of Customer Success: KPI cards with their change since
 * last month, the MRR and NPS trends, health bands, dunning, onboardings,
 * customers at risk, cohorts and success managers. Every figure opens the
 * records behind it.
 */
export class CustomerSuccessDashboard extends Component {
    static template = "customer_success.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null});
        this.mrrCanvas = useRef("mrrChart");
        this.npsCanvas = useRef("npsChart");
        onWillStart(async () => {
            const [data] = await Promise.all([
                this.orm.call("cs.dashboard", "get_data", []),
                loadBundle("web.chartjs_lib"),
            ]);
            this.state.data = data;
        });
        useEffect(
            () => {
                const charts = this.renderCharts();
                return () => charts.forEach((chart) => chart.destroy());
            },
            () => [this.state.data]
        );
    }

    renderCharts() {
        const openMonth = (points) => (event, elements, chart) => {
            const [element] = chart.getElementsAtEventForMode(
                event,
                "index",
                {intersect: false},
                false
            );
            if (element) {
                this.open(points[element.index].action);
            }
        };
        const trend = this.data.mrr_trend;
        return [
            new Chart(
                this.mrrCanvas.el,
                mrrChartConfig(
                    trend,
                    (value) => this.money(value),
                    openMonth(trend.months)
                )
            ),
            new Chart(
                this.npsCanvas.el,
                npsChartConfig(this.data.nps_trend, openMonth(this.data.nps_trend))
            ),
        ];
    }

    get data() {
        return this.state.data;
    }

    open(action) {
        this.action.doAction(action);
    }

    openCustomer(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    money(value) {
        if (value === null || value === undefined) {
            return "-";
        }
        const amount = formatFloat(value, {digits: [16, 0]});
        const {symbol, position} = this.data.currency;
        return position === "after" ? `${amount} ${symbol}` : `${symbol} ${amount}`;
    }

    format(card) {
        const value = card.value;
        if (value === null || value === undefined) {
            return "-";
        }
        if (card.kind === "money") {
            return this.money(value);
        }
        if (card.kind === "percent") {
            return `${formatFloat(value, {digits: [16, 1]})}%`;
        }
        if (card.kind === "count") {
            return formatFloat(value, {digits: [16, 0]});
        }
        return formatFloat(value, {digits: [16, 1]});
    }

    formatDelta(card) {
        if (card.delta === null || card.delta === undefined) {
            return _t("no change data");
        }
        const sign = card.delta > 0 ? "+" : "";
        if (card.kind === "money") {
            return `${sign}${this.money(card.delta)}`;
        }
        const unit = card.kind === "percent" ? " pp" : "";
        const digits = card.kind === "count" ? 0 : 1;
        return `${sign}${formatFloat(card.delta, {digits: [16, digits]})}${unit}`;
    }

    get healthTotal() {
        return Math.max(
            1,
            this.data.health.reduce((total, band) => total + band.count, 0)
        );
    }

    get healthAverage() {
        return _t("average %s of the scored customers", this.number(this.data.health_average));
    }

    bandColor(band) {
        return BAND_COLORS[band] || NO_BAND_COLOR;
    }

    percent(value) {
        return value === null || value === undefined
            ? "-"
            : `${formatFloat(value, {digits: [16, 0]})}%`;
    }

    number(value) {
        return value === null || value === undefined
            ? "-"
            : formatFloat(value, {digits: [16, 1]});
    }
}

registry.category("actions").add("customer_success.dashboard", CustomerSuccessDashboard);
