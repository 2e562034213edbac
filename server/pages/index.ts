export { htmlSecurityHeaders, pageCsp, pageRoutes } from "./routes.js";
export { checkAssets, FACE_MODEL_URL_PATH, WASM_URL_PATH, TASKS_VISION_VERSION, type AssetPaths } from "./assets.js";
