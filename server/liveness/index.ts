export { issueChallenge, toWire, MIN_FACE_FRAMES } from "./challenge.js";
export { verifyEvidence, type Verdict } from "./verify.js";
