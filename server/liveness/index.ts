export { issueChallenge, toWire, MIN_FIT_FRAMES, STEP_DEADLINE_MS } from "./challenge.js";
export { verifyEvidence, type Verdict } from "./verify.js";
export { generateSteps, secureRandom, seededRandom, type RandomInt } from "./steps.js";
