import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { RoomServiceClient } from "livekit-server-sdk";
import { removePidFile, stopLeftoverServer, writePidFile } from "./leftover.js";
import type { LiveKitSettings } from "./livekit-rooms.js";

const execFileAsync = promisify(execFile);

/** The pinned livekit-server release; later commits add `replace` directives `go install` refuses. */
export const LIVEKIT_VERSION = "v1.13.5";

/**
 * Installs livekit-server with Go into `toolsDir/bin`, once: the binary is
 * cached under a versioned name, so later calls return at once.
 */
export async function installLiveKit(toolsDir: string, log: (line: string) => void = console.log): Promise<string> {
  const binDir = path.resolve(toolsDir, "bin");
  const binary = path.join(binDir, `livekit-server-${LIVEKIT_VERSION}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(binDir, { recursive: true });
  const go = findGo();
  log(`Installing livekit-server ${LIVEKIT_VERSION} with ${go} (first run only, takes a few minutes)...`);
  const buildDir = fs.mkdtempSync(path.join(binDir, ".build-"));
  try {
    await execFileAsync(go, ["install", `github.com/livekit/livekit-server/cmd/server@${LIVEKIT_VERSION}`], {
      env: { ...process.env, CGO_ENABLED: "0", GOBIN: buildDir },
      maxBuffer: 64 * 1024 * 1024,
    });
    // `go install` names the binary after its package directory, `server`.
    fs.renameSync(path.join(buildDir, "server"), binary);
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
  log(`Installed ${binary}`);
  return binary;
}

function findGo(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "go");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  if (fs.existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error("Go is needed to install livekit-server; install Go or set LIVEKIT_URL to an existing LiveKit server");
}

export interface LocalLiveKitOptions {
  binary: string;
  /** Folder for the generated config file and log. */
  workDir: string;
  port?: number;
  /**
   * ICE over TCP; 0 (the default) turns it off. livekit-server (v1.13.5, mediatransportutil
   * `NewWebRTCConfig`) listens on this port on every interface, ignoring `bind_addresses`,
   * so it is off unless asked for; browsers on loopback use UDP, which stays on 127.0.0.1.
   */
  rtcTcpPort?: number;
  rtcUdpPort?: number;
  webhookUrl?: string;
  /**
   * A node of a cluster: the Redis (host:port) the nodes share for room placement, signal
   * relay and agent dispatch, and the API key and secret they all accept. Without it, a
   * single node with a key of its own.
   */
  cluster?: { redisAddress: string; apiKey: string; apiSecret: string };
}

/**
 * True when the LiveKit server at `url` answers an API call signed with this
 * key and secret, and refuses (401) the same call signed with another secret:
 * proof it is the server started with them, not another process (or another
 * livekit-server) that happens to answer on the port.
 */
export async function answersWithKey(url: string, apiKey: string, apiSecret: string): Promise<boolean> {
  const http = url.replace(/^ws/, "http");
  const options = { failover: false, requestTimeout: 2 };
  try {
    const rooms: unknown = await new RoomServiceClient(http, apiKey, apiSecret, options).listRooms();
    if (!Array.isArray(rooms)) return false;
  } catch {
    return false;
  }
  try {
    await new RoomServiceClient(http, apiKey, randomBytes(32).toString("base64url"), options).listRooms();
    return false;
  } catch (err) {
    return (err as { status?: number }).status === 401;
  }
}

/** Fails with a clear message when something already listens on `port` on loopback. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`livekit-server cannot start: port ${port} on 127.0.0.1 is already in use by another process; stop it or set LIVEKIT_URL`)
          : err,
      );
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** Waits up to `ms` until `port` can be bound (a killed server's last threads release its sockets a little after it dies); `0` checks once. */
async function portFreedWithin(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await assertPortFree(port);
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A livekit-server child process on loopback, for the embedded default and for tests. */
export class LocalLiveKit {
  private child: ChildProcess | undefined;
  readonly settings: LiveKitSettings;
  private resolveExited!: (reason: string) => void;
  /** Resolves, with a message naming the log file, when the livekit-server process exits. */
  readonly exited: Promise<string> = new Promise((resolve) => (this.resolveExited = resolve));

  private constructor(private readonly options: Required<Omit<LocalLiveKitOptions, "webhookUrl" | "cluster">> & Pick<LocalLiveKitOptions, "webhookUrl" | "cluster">) {
    const url = `ws://127.0.0.1:${options.port}`;
    this.settings = {
      url,
      publicUrl: url,
      apiKey: options.cluster?.apiKey ?? `kit${randomBytes(8).toString("hex")}`,
      apiSecret: options.cluster?.apiSecret ?? randomBytes(32).toString("base64url"),
    };
  }

  /**
   * Starts livekit-server and resolves once it answers an API call signed with
   * its own generated key; fails if the port is taken, the process exits, or
   * it is not ready within 20 s.
   */
  static async start(options: LocalLiveKitOptions): Promise<LocalLiveKit> {
    const server = new LocalLiveKit({ port: 7880, rtcTcpPort: 0, rtcUdpPort: 7882, ...options });
    await server.launch();
    return server;
  }

  private configYaml(): string {
    const o = this.options;
    const s = this.settings;
    const lines = [
      `port: ${o.port}`,
      `bind_addresses: [127.0.0.1]`,
      `keys:`,
      `  ${s.apiKey}: ${s.apiSecret}`,
      `rtc:`,
      // 0: no ICE-TCP listener, which livekit-server would open on every interface.
      `  tcp_port: ${o.rtcTcpPort}`,
      `  udp_port: ${o.rtcUdpPort}`,
      `  use_external_ip: false`,
      `  node_ip: 127.0.0.1`,
      `  enable_loopback_candidate: true`,
      `  ips:`,
      `    includes: [127.0.0.1/32]`,
      // Without a local STUN entry the server tries public STUN servers.
      `  stun_servers: [127.0.0.1:3478]`,
      `turn:`,
      `  enabled: false`,
      // Only the kit creates rooms (RoomService CreateRoom): a join token for a room that was
      // deleted when its interview ended, or never created, is refused instead of reopening it.
      `room:`,
      `  auto_create: false`,
      `logging:`,
      `  level: ${process.env.LIVEKIT_LOG_LEVEL ?? "warn"}`,
    ];
    // With Redis, livekit-server runs as one node of a cluster: rooms are placed on a node and
    // signal connections to any other node are relayed to it.
    if (o.cluster) lines.push(`redis:`, `  address: ${o.cluster.redisAddress}`);
    if (o.webhookUrl) {
      lines.push(`webhook:`, `  api_key: ${s.apiKey}`, `  urls:`, `    - ${o.webhookUrl}`);
    }
    return lines.join("\n") + "\n";
  }

  private async launch(): Promise<void> {
    fs.mkdirSync(this.options.workDir, { recursive: true });
    // Absolute, so a leftover server is recognised by its command line whatever folder the kit starts from.
    const configFile = path.resolve(this.options.workDir, `livekit-${this.options.port}.yaml`);
    const pidFile = path.resolve(this.options.workDir, `livekit-${this.options.port}.pid`);
    const stoppedLeftover = await stopLeftoverServer(pidFile, configFile);
    if (stoppedLeftover) console.error(`Stopped the livekit-server a previous kit left running from ${configFile}`);
    // A server just killed releases its port a moment later; anything else on the port fails at once.
    await portFreedWithin(this.options.port, stoppedLeftover ? 5_000 : 0);
    fs.writeFileSync(configFile, this.configYaml(), { mode: 0o600 });
    const logFile = fs.openSync(path.join(this.options.workDir, `livekit-${this.options.port}.log`), "w");
    const child = spawn(this.options.binary, ["--config", configFile], { stdio: ["ignore", logFile, logFile] });
    this.child = child;
    fs.closeSync(logFile);
    if (child.pid !== undefined) writePidFile(pidFile, child.pid);
    let exited: string | undefined;
    child.once("exit", (code, signal) => {
      if (child.pid !== undefined) removePidFile(pidFile, child.pid);
      exited = `livekit-server exited (${signal ?? code}); see ${this.options.workDir}/livekit-${this.options.port}.log`;
      this.resolveExited(exited);
    });
    child.once("error", (err) => {
      exited = `livekit-server could not run: ${err.message}`;
      this.resolveExited(exited);
    });
    const { url, apiKey, apiSecret } = this.settings;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(exited);
      // Only the server started with this key and secret answers; a `GET /` could reach anything on the port.
      if ((await answersWithKey(url, apiKey, apiSecret)) && !exited) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (exited) throw new Error(exited);
    await this.stop();
    throw new Error(`livekit-server did not become ready on port ${this.options.port} within 20 s`);
  }

  /** Stops the server and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
}
