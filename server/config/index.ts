export { loadConfig, loadConfigOrExit, ConfigError, type Config } from "./config.js";
export { ensureApiKey, ensureDataDir, type ApiKeys } from "./api-key.js";
