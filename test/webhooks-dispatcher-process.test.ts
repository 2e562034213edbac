import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { WebhookEndpointWithSecret } from "../shared/webhooks.js";
import { spawnDispatcher } from "../server/webhooks-out/spawn.js";
import { type KitProcess, startKitProcess } from "./helpers/kit-child.js";
import { alive } from "./helpers/processes.js";
import { type Receiver, startReceiver, verify } from "./helpers/webhook-receiver.js";

// Real kit processes (`server/main.ts`) and a real loopback receiver; the kit's own dispatcher process is what is tested.
const API_KEY = "dispatcher-process-key-0123456789";
const auth = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const ROOT = path.resolve(import.meta.dirname, "..");

const kitEnv = (extra: Record<string, string> = {}) => ({
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "kit-dispatch-")),
  API_KEYS: API_KEY,
  // No room is used; the kit must not start a livekit-server of its own.
  LIVEKIT_URL: "ws://127.0.0.1:9",
  LIVEKIT_API_KEY: "unused-key",
  LIVEKIT_API_SECRET: "unused-secret-0123456789abcdef0123456789",
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  ...extra,
});

/** Children of `pid` whose command line runs `entry` (by default the dispatcher's). */
function dispatcherChildren(pid: number, entry = "server/webhooks-out/main.ts"): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([, ppid, ...args]) => Number(ppid) === pid && args.join(" ").includes(entry))
    .map(([p]) => Number(p));
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function subscribe(url: string, receiver: Receiver): Promise<string> {
  const res = await fetch(`${url}/v1/webhook-endpoints`, { method: "POST", headers: auth, body: JSON.stringify({ url: receiver.url, events: ["interview.created"] }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as WebhookEndpointWithSecret).secret;
}

async function createInterview(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/interviews`, { method: "POST", headers: auth, body: JSON.stringify({ candidate: { name: "Dispatch Test" } }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("the webhook dispatcher process", () => {
  const kits: KitProcess[] = [];
  const receivers: Receiver[] = [];
  afterAll(async () => {
    for (const k of kits) await k.kill("SIGKILL");
    for (const r of receivers) await r.close();
  });

  it("runs beside the kit by default, sends its deliveries, and dies with a killed kit", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    // With the kit's own verifier worker too, registered with the run's livekit-server (no job is dispatched to it).
    const { url, apiKey, apiSecret } = inject("livekit");
    const kit = await startKitProcess(kitEnv({ VERIFIER_WORKER: "true", LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }));
    kits.push(kit);
    const secret = await subscribe(kit.url, receiver);
    const id = await createInterview(kit.url);
    await until("the delivery", () => receiver.received.length > 0);
    expect((verify(secret, receiver.received[0]!) as { data: { interviewId: string } }).data.interviewId).toBe(id);

    const [dispatcher] = dispatcherChildren(kit.child.pid!);
    expect(dispatcher, `no dispatcher child of the kit\n${kit.output()}`).toBeGreaterThan(0);
    const [verifier] = dispatcherChildren(kit.child.pid!, "server/verifier/main.ts");
    expect(verifier, `no verifier child of the kit\n${kit.output()}`).toBeGreaterThan(0);
    expect(await kit.kill("SIGKILL")).toBe("SIGKILL");
    // Not left behind sending on its own: its standard input closed with the kit. The verifier worker goes the same way.
    await until("the dispatcher to exit after the kit", () => !alive(dispatcher!), 10_000);
    await until("the verifier worker to exit after the kit", () => !alive(verifier!), 10_000);
  });

  it("is started again when it dies on its own, and not after the kit stops it", async () => {
    const env = kitEnv();
    const dispatcher = spawnDispatcher({ ...process.env, ...env, DATABASE_URL: path.join(env.DATA_DIR, "kit.db") });
    const first = dispatcher.child();
    await until("the first dispatcher to run", () => first.pid !== undefined && alive(first.pid));
    first.kill("SIGKILL");
    await until("a new dispatcher process", () => dispatcher.child() !== first && alive(dispatcher.child().pid!), 10_000);
    const second = dispatcher.child();
    await dispatcher.stop();
    expect(alive(second.pid!)).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(dispatcher.child()).toBe(second);
  });

  it("with WEBHOOK_DISPATCHER=off the kit sends nothing, and a dispatcher run apart sends what it queued", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const env = kitEnv({ WEBHOOK_DISPATCHER: "off" });
    const databaseUrl = path.join(env.DATA_DIR, "kit.db");
    const kit = await startKitProcess({ ...env, DATABASE_URL: databaseUrl });
    kits.push(kit);
    expect(dispatcherChildren(kit.child.pid!)).toEqual([]);
    const secret = await subscribe(kit.url, receiver);
    const id = await createInterview(kit.url);
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.received).toHaveLength(0);

    // The standalone entry, as a deployment runs it: same environment, its own process.
    const apart = spawn(process.execPath, ["--import", "tsx", "server/webhooks-out/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    apart.stdout.on("data", (c: Buffer) => (output += c));
    apart.stderr.on("data", (c: Buffer) => (output += c));
    const exited = new Promise<string>((resolve) => apart.once("exit", (code, signal) => resolve(`code ${code}, signal ${signal}`)));
    try {
      await until("the delivery from the dispatcher run apart", () => receiver.received.length > 0);
    } catch (err) {
      apart.kill("SIGKILL");
      throw new Error(`${(err as Error).message}\n${output}`);
    }
    expect((verify(secret, receiver.received[0]!) as { data: { interviewId: string } }).data.interviewId).toBe(id);
    // With the outbox empty it keeps running (it once exited on its own here), waiting for more.
    await new Promise((r) => setTimeout(r, 1500));
    expect(apart.exitCode, output).toBeNull();
    const later = await createInterview(kit.url);
    await until("the later delivery", () => receiver.received.length > 1);
    expect((verify(secret, receiver.received[1]!) as { data: { interviewId: string } }).data.interviewId).toBe(later);
    apart.kill("SIGTERM");
    const how = await exited;
    expect(how, output).toBe("code 0, signal null");
    expect(receiver.received).toHaveLength(2);
  });
});
