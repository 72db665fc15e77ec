// Starts GOV.UK Frontend's components (error summary focus, navigation menu, character counts…).
// A file of its own, not an inline script, so the Content-Security-Policy can stay 'self' only.
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
