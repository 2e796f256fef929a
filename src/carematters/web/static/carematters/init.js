// GOV.UK Frontend's and MOJ Frontend's components, started once the page has loaded.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";

initAll();
initMoj();
