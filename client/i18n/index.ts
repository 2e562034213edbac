export { activeLanguage, applyLanguage, applyStringOverrides, onStringsChange, strings } from "./active.js";
export { type Strings, en } from "./en.js";
export { directionOf, LOCALES, type Locale, matchLocale, resolveLanguage, TABLES } from "./locales.js";
export { MAX_OVERRIDE_LENGTH, type OverrideReport, TEMPLATE_PARAMS, type TemplateParams } from "./overrides.js";
