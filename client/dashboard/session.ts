import type { DashboardApi } from "./api.js";

/** The signed-in dashboard: its API client and the key it was opened with. */
export interface Session {
  api: DashboardApi;
  key: string;
}

/** What each screen is given once at start-up: the current session, if any. */
export type SessionSource = () => Session | undefined;

/** One of the dashboard's tabs: `refresh` reloads what it shows (called when it is opened). */
export interface Screen {
  refresh(): Promise<void>;
  /** Forgets what it shows (a secret on display included), on sign-out. */
  clear(): void;
}
