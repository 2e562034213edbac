import { describe, expect, it } from "vitest";
import { InterviewList } from "../shared/interview.js";
import { advancingClock, client, testApp } from "./helpers/app.js";

/** No LiveKit call is made here: nothing touches a room. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };

describe("GET /v1/interviews paging", () => {
  it("walks every interview once, newest first, by cursor; the last page has no next cursor", async () => {
    const clock = advancingClock();
    const env = testApp({ livekit, now: clock.now });
    const api = client(env.app);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      made.push((await api.createInterview({ candidate: { name: `Candidate ${i}` } })).json.id!);
      // Two share a creation time every other step: the cursor must break ties.
      if (i % 2) clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.call("GET", `/v1/interviews?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { headers: api.auth });
      expect(res.status).toBe(200);
      const page = InterviewList.parse(await res.json());
      seen.push(...page.interviews.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...made].sort());
    // Newest first: the list reads the same as one big page.
    const all = InterviewList.parse(await (await api.call("GET", "/v1/interviews?limit=50", { headers: api.auth })).json());
    expect(all.interviews.map((i) => i.id)).toEqual(seen);
    expect(all.nextCursor).toBeNull();
  });

  it("refuses a cursor it did not make with a coded error naming the field", async () => {
    const env = testApp({ livekit });
    const api = client(env.app);
    await api.createInterview();
    for (const bad of ["nope", Buffer.from('{"a":1}').toString("base64url"), Buffer.from("[1,2]").toString("base64url"), "x".repeat(201)]) {
      const res = await api.call("GET", `/v1/interviews?cursor=${bad}`, { headers: api.auth });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed", field: "cursor" } });
    }
  });
});
