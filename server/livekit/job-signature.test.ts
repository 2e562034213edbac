import { describe, expect, it } from "vitest";
import { reportsTo, signJobMetadata, verifiedJobMetadata } from "./job-signature.js";

const SECRET = "livekit-api-secret-0123456789abcdef0123456789";
const job = { kind: "verification", challengeId: "ch_1", reportUrl: "http://127.0.0.1:8080/internal/verifier/challenges/ch_1", reportToken: "t".repeat(43), delaysMs: [900, 1.5] };

describe("job metadata signatures", () => {
  it("round-trips a job the kit signed", () => {
    expect(verifiedJobMetadata(signJobMetadata(job, SECRET), SECRET)).toEqual(job);
  });

  it("refuses an unsigned job, a changed report URL, a moved signature and another secret's signature", () => {
    const signed = JSON.parse(signJobMetadata(job, SECRET));
    expect(verifiedJobMetadata(JSON.stringify(job), SECRET)).toBeUndefined();
    expect(verifiedJobMetadata(JSON.stringify({ ...signed, reportUrl: "http://10.0.0.5:8080/hook" }), SECRET)).toBeUndefined();
    const other = JSON.parse(signJobMetadata({ ...job, challengeId: "ch_2" }, SECRET));
    expect(verifiedJobMetadata(JSON.stringify({ ...signed, sig: other.sig }), SECRET)).toBeUndefined();
    expect(verifiedJobMetadata(signJobMetadata(job, "another-secret"), SECRET)).toBeUndefined();
    expect(verifiedJobMetadata("not json", SECRET)).toBeUndefined();
    expect(verifiedJobMetadata(JSON.stringify({ ...signed, sig: "zz" }), SECRET)).toBeUndefined();
  });

  it("accepts report URLs on the kit's origin only", () => {
    expect(reportsTo("http://127.0.0.1:8080/internal/x", "http://127.0.0.1:8080")).toBe(true);
    expect(reportsTo("http://127.0.0.1:8081/internal/x", "http://127.0.0.1:8080")).toBe(false);
    expect(reportsTo("http://10.0.0.5:8080/hook", "http://127.0.0.1:8080")).toBe(false);
    expect(reportsTo("http://127.0.0.1:8080@10.0.0.5/x", "http://127.0.0.1:8080")).toBe(false);
  });
});
