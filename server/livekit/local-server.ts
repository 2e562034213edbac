import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
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
  rtcTcpPort?: number;
  rtcUdpPort?: number;
  webhookUrl?: string;
}

/** A livekit-server child process on loopback, for the embedded default and for tests. */
export class LocalLiveKit {
  private child: ChildProcess | undefined;
  readonly settings: LiveKitSettings;

  private constructor(private readonly options: Required<Omit<LocalLiveKitOptions, "webhookUrl">> & { webhookUrl?: string }) {
    const url = `ws://127.0.0.1:${options.port}`;
    this.settings = {
      url,
      publicUrl: url,
      apiKey: `kit${randomBytes(8).toString("hex")}`,
      apiSecret: randomBytes(32).toString("base64url"),
    };
  }

  /** Starts livekit-server and resolves once `GET /` answers 200. */
  static async start(options: LocalLiveKitOptions): Promise<LocalLiveKit> {
    const server = new LocalLiveKit({ port: 7880, rtcTcpPort: 7881, rtcUdpPort: 7882, ...options });
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
      `logging:`,
      `  level: ${process.env.LIVEKIT_LOG_LEVEL ?? "warn"}`,
    ];
    if (o.webhookUrl) {
      lines.push(`webhook:`, `  api_key: ${s.apiKey}`, `  urls:`, `    - ${o.webhookUrl}`);
    }
    return lines.join("\n") + "\n";
  }

  private async launch(): Promise<void> {
    fs.mkdirSync(this.options.workDir, { recursive: true });
    const configFile = path.join(this.options.workDir, `livekit-${this.options.port}.yaml`);
    fs.writeFileSync(configFile, this.configYaml(), { mode: 0o600 });
    const logFile = fs.openSync(path.join(this.options.workDir, `livekit-${this.options.port}.log`), "w");
    const child = spawn(this.options.binary, ["--config", configFile], { stdio: ["ignore", logFile, logFile] });
    this.child = child;
    let exited: string | undefined;
    child.once("exit", (code, signal) => {
      exited = `livekit-server exited (${signal ?? code}); see ${this.options.workDir}/livekit-${this.options.port}.log`;
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(exited);
      try {
        const res = await fetch(`http://127.0.0.1:${this.options.port}/`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
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
