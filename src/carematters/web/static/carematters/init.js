// GOV.UK Frontend's and MOJ Frontend's components and our own, started once the page has
// loaded. base.html loads only this module (with the page's CSP nonce); the frameworks are
// imported from here, so each is fetched and run once.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";
import { initTimeoutWarning } from "./timeout-warning.js";

initAll();
initMoj();
initTimeoutWarning();
