import { z } from "zod";
import { CreatedInterview, InterviewList, InterviewWithEvents, SnapshotInfo, StreamEvent } from "../../shared/interview.js";
import { RiskReport } from "../../shared/signals.js";
import { ApiError, request } from "../api/http.js";

/** The dashboard's calls, authorised with the API key the interviewer entered. */
export class DashboardApi {
  constructor(private readonly key: string) {}

  private get headers() {
    return { authorization: `Bearer ${this.key}` };
  }

  list() {
    return request("GET", "/v1/interviews?limit=100", InterviewList, { headers: this.headers });
  }
  get(id: string) {
    return request("GET", `/v1/interviews/${encodeURIComponent(id)}`, InterviewWithEvents, { headers: this.headers });
  }
  report(id: string) {
    return request("GET", `/v1/interviews/${encodeURIComponent(id)}/report`, RiskReport, { headers: this.headers });
  }
  snapshots(id: string) {
    return request("GET", `/v1/interviews/${encodeURIComponent(id)}/snapshots`, z.object({ snapshots: z.array(SnapshotInfo) }), {
      headers: this.headers,
    });
  }
  create(body: unknown) {
    return request("POST", "/v1/interviews", CreatedInterview, { body, headers: this.headers });
  }

  /** A snapshot as an object URL; the key travels in a header, never in an image URL. */
  async snapshotUrl(id: string, snapshotId: number): Promise<string> {
    const res = await fetch(`/v1/interviews/${encodeURIComponent(id)}/snapshots/${snapshotId}`, { headers: this.headers });
    if (!res.ok) throw new ApiError("http", `snapshot ${snapshotId}: ${res.status}`, res.status);
    return URL.createObjectURL(await res.blob());
  }

  /**
   * Follows `/v1/interviews/stream` (server-sent events) with fetch, because
   * EventSource cannot send the Authorization header. Reconnects after a drop.
   */
  async follow(onEvent: (e: StreamEvent) => void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const res = await fetch("/v1/interviews/stream", { headers: this.headers, signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").find((l) => l.startsWith("data:"))?.slice(5).trim();
            if (block.includes("event: interview") && data) {
              const parsed = StreamEvent.safeParse(JSON.parse(data));
              if (parsed.success) onEvent(parsed.data);
            }
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
