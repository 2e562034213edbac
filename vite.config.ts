import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

const tasksVision = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "node_modules/@mediapipe/tasks-vision/package.json"), "utf8"),
) as { version: string };

/** Builds the candidate, interviewer and dashboard pages into dist/client, served by the kit under /app/. */
export default defineConfig({
  root: resolve(import.meta.dirname, "client"),
  base: "/app/",
  // The WASM path is versioned, so the page must know which tasks-vision it was built with.
  define: { __TASKS_VISION_VERSION__: JSON.stringify(tasksVision.version) },
  build: {
    outDir: resolve(import.meta.dirname, "dist/client"),
    emptyOutDir: true,
    target: "es2022",
    // The candidate page carries livekit-client and the MediaPipe loader; both are needed up front.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        candidate: resolve(import.meta.dirname, "client/candidate/index.html"),
        interviewer: resolve(import.meta.dirname, "client/interviewer/index.html"),
        dashboard: resolve(import.meta.dirname, "client/dashboard/index.html"),
      },
    },
  },
});
