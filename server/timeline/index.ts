export { EVENT_BUFFER, Timeline, type RequestMeta } from "./timeline.js";
export { resolveLink } from "./links.js";
export { effectiveStatus, statusAfter } from "./status.js";
export { EventHistory, HISTORY_CACHE_SIZE } from "./history.js";
