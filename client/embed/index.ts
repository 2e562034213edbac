export { startFrameBridge, type FrameBridge } from "./frame.js";
export { candidateEmbedEvents, type CandidateEmbedEvents } from "./candidate-events.js";
export { emitEndedWhenLeft } from "./room-events.js";
