export { PersonalDataService } from "./service.js";
export { redactEventData } from "./redact.js";
export { ANOTHER_CANDIDATE, hideOtherCandidates } from "./other-candidates.js";
