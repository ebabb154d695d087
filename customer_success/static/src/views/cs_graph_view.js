/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {GraphRenderer} from "@web/views/graph/graph_renderer";
import {graphView} from "@web/views/graph/graph_view";
import {groupColor} from "../cs_colors";
import {lightenColor} from "@web/core/colors/colors";
import {registry} from "@web/core/registry";

/**
 * Odoo's graph renderer colours the series by their order in its palette, so
 * that "Attention" came out red and churn teal. This one gives the series of
 * a health band or an MRR movement their own colour (see cs_colors.js), in
 * bar and line mode; other series keep Odoo's palette. In line mode, an
 * average (the health score) has no point where a series has no record.
 */
export class CsGraphRenderer extends GraphRenderer {
    /** The colour of a series from the value of its (non x-axis) group. */
    datasetColor(dataset) {
        const [identifier] = dataset.identifiers || [];
        if (!identifier) {
            return null;
        }
        for (const group of JSON.parse(identifier).slice(1)) {
            const [spec, value] = Object.entries(group)[0];
            const color = groupColor(spec.split(":")[0], value);
            if (color) {
                return color;
            }
        }
        return null;
    }

    getBarChartData() {
        const data = super.getBarChartData();
        for (const dataset of data.datasets) {
            const color = this.datasetColor(dataset);
            if (color) {
                dataset.backgroundColor = color;
            }
        }
        return data;
    }

    getLineChartData() {
        const data = super.getLineChartData();
        const {cumulated, fields, measure} = this.model.metaData;
        const average = !cumulated && fields[measure]?.aggregator === "avg";
        for (const dataset of data.datasets) {
            if (average) {
                // Odoo draws a week without records at 0: an average of
                // nothing is no point at all, not a score of 0
                dataset.data = dataset.data.map((value, index) =>
                    dataset.domains[index]?.length ? value : null
                );
            }
            const color = this.datasetColor(dataset);
            if (color) {
                dataset.borderColor = color;
                dataset.pointBackgroundColor = color;
                dataset.hoverBackgroundColor = color;
                dataset.backgroundColor = lightenColor(color, 0.5);
            }
        }
        return data;
    }
}

registry.category("views").add("cs_graph", {...graphView, Renderer: CsGraphRenderer});
