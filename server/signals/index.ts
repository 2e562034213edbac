export { buildRiskReport } from "./report.js";
export { SignalSettings, type SignalSettingsInput } from "./settings.js";
export { levelFor, sortFlags } from "./flags.js";
export { silentSession } from "./silence.js";
