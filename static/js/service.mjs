// Marks the page as able to run GOV.UK Frontend (done here, not inline, so the
// Content-Security-Policy needs no 'unsafe-inline'), then starts its components.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";
import { startAutocompletes } from "./autocomplete.mjs";
import { startTimeoutWarning } from "./timeout-warning.mjs";
import "./reveal.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
const timeoutWarning = document.querySelector('[data-module="app-timeout-warning"]');
if (timeoutWarning) startTimeoutWarning(timeoutWarning);
startAutocompletes();
