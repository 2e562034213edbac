/**
 * A Greenhouse simulator written from its public Assessment Partner documentation
 * (greenhouse-api-docs, source/includes/assessment/): it makes the documented calls in the documented
 * shapes with HTTP Basic (the partner API key as the user name, an empty password), checks every
 * answer against the documented shape, polls `test_status` as Greenhouse does (hourly there; a test
 * setting here), and receives the partner's body-less PATCH on the `url` it sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { GreenhouseSentTest, GreenhouseTest, GreenhouseTestStatus } from "../../shared/ats.js";

/** `list_tests`: a JSON array of `{partner_test_id, partner_test_name}`. */
const ListTests = z.array(GreenhouseTest.strict());
/** `test_status`: `partner_profile_url` is required once `complete`; `metadata` is a non-nested object of primitives. */
const TestStatus = GreenhouseTestStatus.strict().refine((s) => s.partner_status !== "complete" || !!s.partner_profile_url, {
  message: "partner_status is 'complete' but partner_profile_url is missing",
});

export interface Patch {
  path: string;
  bodyBytes: number;
  at: number;
}

export class GreenhouseSimulator {
  /** The PATCH requests the partner sent to the `url`s of `send_test`. */
  readonly patches: Patch[] = [];
  private server: Server | undefined;
  private receiverUrl = "";

  constructor(
    private readonly partnerBase: string,
    private readonly apiKey: string,
    private readonly pollMs = 500,
  ) {}

  /** Starts the endpoint that stands for app.greenhouse.io's take-home-test URLs. */
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => {
        if (req.method === "PATCH") this.patches.push({ path: req.url ?? "", bodyBytes: bytes, at: Date.now() });
        res.writeHead(req.method === "PATCH" ? 200 : 405).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.receiverUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The URL Greenhouse sends in `send_test` for one take-home test. */
  takeHomeTestUrl(id: number): string {
    return `${this.receiverUrl}/integrations/testing_partners/take_home_tests/${id}`;
  }

  headers(key = this.apiKey): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` };
  }

  async call(method: "GET" | "POST", path: string, body?: unknown, headers = this.headers()): Promise<Response> {
    return fetch(`${this.partnerBase}/${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }

  async listTests() {
    const res = await this.call("GET", "list_tests");
    if (!res.ok) throw new Error(`list_tests: ${res.status} ${await res.text()}`);
    return ListTests.parse(await res.json());
  }

  async sendTest(partnerTestId: string, candidate: { first_name: string; last_name: string; email: string }, takeHomeTestId: number) {
    const body = {
      partner_test_id: partnerTestId,
      candidate: { ...candidate, resume_url: null, phone_number: null, greenhouse_profile_url: `https://app.greenhouse.io/people/${takeHomeTestId}` },
      url: this.takeHomeTestUrl(takeHomeTestId),
    };
    const res = await this.call("POST", "send_test", body);
    if (!res.ok) throw new Error(`send_test: ${res.status} ${await res.text()}`);
    return GreenhouseSentTest.strict().parse(await res.json());
  }

  async testStatus(partnerInterviewId: string) {
    const res = await this.call("GET", `test_status?partner_interview_id=${encodeURIComponent(partnerInterviewId)}`);
    if (!res.ok) throw new Error(`test_status: ${res.status} ${await res.text()}`);
    return TestStatus.parse(await res.json());
  }

  /** Polls `test_status` until `complete` (Greenhouse: hourly, for up to 8 weeks). */
  async pollUntilComplete(partnerInterviewId: string, deadlineMs: number) {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const status = await this.testStatus(partnerInterviewId);
      if (status.partner_status === "complete" || Date.now() > deadline) return status;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}
