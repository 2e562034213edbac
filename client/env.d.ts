/** Injected by vite.config.ts: the @mediapipe/tasks-vision version the client was built with. */
declare const __TASKS_VISION_VERSION__: string;

declare module "*.css";
