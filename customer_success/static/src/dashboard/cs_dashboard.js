/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const POSITIVE = ["new", "expansion", "reactivation", "resume"];

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
        onWillStart(async () => {
            this.state.data = await this.orm.call("cs.dashboard", "get_data", []);
        });
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
        return `${sign}${formatFloat(card.delta, {digits: [16, 1]})}${unit}`;
    }

    get maxMrr() {
        return Math.max(1, ...this.data.mrr_trend.months.map((month) => month.mrr));
    }

    get maxMove() {
        return Math.max(
            1,
            ...this.data.mrr_trend.months.map((month) =>
                Object.values(month.movements).reduce(
                    (total, value) => total + Math.abs(value),
                    0
                )
            )
        );
    }

    segments(month) {
        return this.data.mrr_trend.movements
            .filter((movement) => month.movements[movement.key])
            .map((movement) => ({
                key: movement.key,
                label: movement.label,
                value: month.movements[movement.key],
                positive: POSITIVE.includes(movement.key),
                height: (Math.abs(month.movements[movement.key]) / this.maxMove) * 60,
            }));
    }

    get healthTotal() {
        return Math.max(
            1,
            this.data.health.reduce((total, band) => total + band.count, 0)
        );
    }

    npsHeight(point) {
        return point.nps === null ? 0 : Math.abs(point.nps) / 2;
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
