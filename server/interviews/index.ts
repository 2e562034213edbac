export { InterviewService, type InterviewServiceDeps } from "./service.js";
export { RoomSeats, type RoomSeatsDeps } from "./room-seats.js";
export { OneCameraPolicy, splitCamera } from "./one-camera.js";
export { interviewRoutes } from "./routes.js";
export { ObservationService } from "./observations.js";
