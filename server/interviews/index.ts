export { InterviewService, type InterviewServiceDeps } from "./service.js";
export { Timeline, type RequestMeta } from "./timeline.js";
export { resolveLink } from "./links.js";
export { RoomSeats, type RoomSeatsDeps } from "./room-seats.js";
export { statusAfter, effectiveStatus } from "./status.js";
