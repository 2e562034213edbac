import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "shared/**/*.test.ts", "client/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One livekit-server and one verifier worker for the whole run.
    globalSetup: ["test/global-setup.ts"],
    // Browser suites share one livekit-server and two CPU cores; running files in parallel only adds noise.
    fileParallelism: false,
    reporters: ["default"],
  },
});
