export { DeviceReuseService, type DeviceReuseDeps, reportedDevice } from "./service.js";
export { deviceFingerprint, type ReportedDevice } from "./fingerprint.js";
