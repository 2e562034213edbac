export { InterviewService, type InterviewServiceDeps } from "./service.js";
export { RoomSeats, type RoomSeatsDeps } from "./room-seats.js";
export { interviewRoutes } from "./routes.js";
export { ObservationService } from "./observations.js";
