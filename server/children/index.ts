export { passThroughLines } from "./output.js";
export { whenParentGone } from "./parent.js";
