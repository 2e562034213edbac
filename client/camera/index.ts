export { CameraError, cameraFailureFrom } from "./camera-errors.js";
export { openCamera, listCameras, rememberCamera, stopStream } from "./camera.js";
export { suspectLabel, mediaFunctionsAreNative, type CameraSuspicion } from "./virtual.js";
