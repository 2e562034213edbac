import { postToKit } from "../kit-post.js";
import { type MonitorEvent, MonitorReply, type MonitorReport } from "../../../shared/monitor-job.js";

/** How a monitor job talks to the kit. */
export interface MonitorKit {
  hello(): Promise<MonitorReply>;
  heartbeat(): Promise<MonitorReply>;
  event(event: MonitorEvent): Promise<MonitorReply>;
  /** Tells the kit the candidate publishes a video track besides the judged camera. */
  extraVideo(identity: string, trackSid: string): Promise<MonitorReply>;
  /** Tells the kit which camera track the monitor judges. */
  judging(identity: string, trackSid: string): Promise<MonitorReply>;
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

  extraVideo(identity: string, trackSid: string): Promise<MonitorReply> {
    return this.post({ type: "extra_video", identity, trackSid }, 4);
  }

  judging(identity: string, trackSid: string): Promise<MonitorReply> {
    return this.post({ type: "judging", identity, trackSid }, 4);
  }

  private post(body: MonitorReport, tries: number): Promise<MonitorReply> {
    return postToKit(this.url, this.token, body, tries, async (res) => {
      if (res.ok) return MonitorReply.parse(await res.json());
      // 401, 404 and 410 will not change: the monitor was replaced or the interview ended.
      return [401, 404, 410].includes(res.status) ? ENDED : undefined;
    });
  }
}
