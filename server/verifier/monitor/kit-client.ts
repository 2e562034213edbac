import { type MonitorEvent, MonitorReply, type MonitorReport } from "../../../shared/monitor-job.js";

/** How a monitor job talks to the kit. */
export interface MonitorKit {
  hello(): Promise<MonitorReply>;
  heartbeat(): Promise<MonitorReply>;
  event(event: MonitorEvent): Promise<MonitorReply>;
}

/** A reply that ends the job: the kit no longer knows the monitor, or the interview is over. */
const ENDED: MonitorReply = { ended: true, commands: [] };

/** Reports to the kit's `/internal/monitor/:id` API with the job's bearer secret. */
export class HttpMonitorKit implements MonitorKit {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  hello(): Promise<MonitorReply> {
    return this.post({ type: "hello" }, 4);
  }

  heartbeat(): Promise<MonitorReply> {
    return this.post({ type: "heartbeat" }, 1);
  }

  event(event: MonitorEvent): Promise<MonitorReply> {
    return this.post({ type: "event", event }, 4);
  }

  private async post(body: MonitorReport, tries: number): Promise<MonitorReply> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.ok) return MonitorReply.parse(await res.json());
        // 401, 404 and 410 will not change: the monitor was replaced or the interview ended.
        if ([401, 404, 410].includes(res.status)) return ENDED;
        throw new Error(`kit answered ${res.status}`);
      } catch (err) {
        if (attempt >= tries) throw err;
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }
}
