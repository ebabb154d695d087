/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// From the list of subscriptions to the reason of the cancellation.
function cancelSteps(reason) {
    return [
        {
            content: "Open the subscription",
            trigger: "a.o_cs_subscription_link:contains('Pro')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Ask to cancel",
            trigger: "a.o_cs_cancel",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Leave for ${reason}`,
            trigger: `.o_cs_cancel_form label:contains('${reason}')`,
            run: "click",
        },
    ];
}

function continueStep() {
    return {
        content: "Continue",
        trigger: ".o_cs_cancel_form button[type='submit']",
        run: "click",
        expectUnloadPage: true,
    };
}

// A decision maker asks to cancel for the price, and takes a two months'
// pause instead.
registry.category("web_tour.tours").add("customer_success_retention_pause", {
    steps: () => [
        ...cancelSteps("The price"),
        continueStep(),
        {
            content: "Pause for two months",
            trigger: "form.o_cs_offer_pause select[name='months']",
            run: "select 2",
        },
        {
            content: "Take the pause",
            trigger: "form.o_cs_offer_pause button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page thanks the customer",
            trigger: ".o_cs_saved:contains('Thank you for staying')",
        },
        {
            content: "The subscription shows the pause",
            trigger: ".o_cs_paused_until",
        },
    ],
});

// A decision maker cancels for another provider and declines every offer.
registry.category("web_tour.tours").add("customer_success_retention_decline", {
    steps: () => [
        ...cancelSteps("We chose another provider"),
        {
            content: "Name the provider chosen",
            trigger: ".o_cs_cancel_form input[name='competitor']",
            run: "edit Concorrente Cloud",
        },
        continueStep(),
        {
            content: "Offers are made",
            trigger: "form.o_cs_offer",
        },
        {
            content: "Decline them all",
            trigger: "button.o_cs_decline:contains('No thanks, cancel my subscription')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The cancellation is confirmed",
            trigger: ".o_cs_cancelled:contains('Your subscription is cancelled')",
        },
        {
            content: "No offer is left",
            trigger: "body:not(:has(form.o_cs_offer))",
        },
    ],
});

// A high-touch customer's decision maker is told the success manager calls
// first, and is offered nothing.
registry.category("web_tour.tours").add("customer_success_retention_csm_first", {
    steps: () => [
        ...cancelSteps("Missing features"),
        continueStep(),
        {
            content: "The success manager will call",
            trigger: ".o_cs_csm_call:contains('will call you within one business day')",
        },
        {
            content: "No offer is made",
            trigger: "body:not(:has(form.o_cs_offer)):not(:has(button.o_cs_decline))",
        },
    ],
});
