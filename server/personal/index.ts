export { PersonalDataService } from "./service.js";
export { redactEventData } from "./redact.js";
