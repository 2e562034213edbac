import { defineConfig } from "vitest/config";

const ALL = ["server/**/*.test.ts", "shared/**/*.test.ts", "client/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"];

/**
 * Suites that judge real media as it plays (Chromium or rtc-node cameras, the verifier and the monitor
 * on the shared worker): they share two cores and the run's one worker, so they run one file at a time.
 */
const REAL_MEDIA = [
  "test/e2e/**/*.test.ts",
  "test/*.browser.test.ts",
  "test/follow-attacks.test.ts",
  "test/verifier-worker-process.test.ts",
  "test/livekit-cluster.test.ts",
  "test/identity-changed.test.ts",
  "test/mixed-reference.test.ts",
  "test/mesh-face.test.ts",
  "test/rtc-publisher.test.ts",
  "server/verifier/analyzer/human-analyzer.test.ts",
  "server/verifier/document/frame-reader.test.ts",
];

const common = { testTimeout: 30_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // One livekit-server and one verifier worker for the whole run (both groups).
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default"],
    projects: [
      // First, everything else, two files at a time: unit, store-contract, API and process suites, which
      // wait on I/O more than they compute and assert no speed.
      { test: { ...common, name: "fast", include: ALL, exclude: REAL_MEDIA, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      // Then the real-media suites, one at a time.
      { test: { ...common, name: "media", include: REAL_MEDIA, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
