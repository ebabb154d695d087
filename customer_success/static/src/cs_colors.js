/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

/**
 * The colours of health bands and MRR movements, for every chart of the
 * addon: green is good, yellow needs attention, red is at risk. The band
 * colours are Odoo's success, warning and danger, those of the band badges.
 */
export const BAND_COLORS = {
    green: "#28a745",
    yellow: "#ffac00",
    red: "#dc3545",
};

/** A customer or snapshot without a band (no data to score yet). */
export const NO_BAND_COLOR = "#adb5bd";

/** Gains in greens and blues, losses in yellow and red, pauses in grey. */
export const MOVEMENT_COLORS = {
    new: BAND_COLORS.green,
    expansion: "#7bc67e",
    reactivation: "#3188e6",
    resume: "#8fc1f5",
    contraction: BAND_COLORS.yellow,
    churn: BAND_COLORS.red,
    pause: NO_BAND_COLOR,
    flat: "#dee2e6",
};

/** The colours of the fields that graph views group by, value by value. */
export const GROUP_COLORS = {
    band: BAND_COLORS,
    health_band: BAND_COLORS,
    movement: MOVEMENT_COLORS,
};

/** The colour of ``value`` of the grouped field ``fieldName``, or null. */
export function groupColor(fieldName, value) {
    const colors = GROUP_COLORS[fieldName];
    if (!colors) {
        return null;
    }
    return colors[value] || NO_BAND_COLOR;
}
