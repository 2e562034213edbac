export { buildRiskReport } from "./report.js";
export { type SignalSettingsInput } from "./settings.js";
