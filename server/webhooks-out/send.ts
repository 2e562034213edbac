import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./url-guard.js";

/** What a receiver answered: its status and `Retry-After` header. */
export interface SendResult {
  status: number;
  retryAfter: string | null;
}

export interface SendRequest {
  url: URL;
  /** The checked addresses of the URL's host: the connection goes to one of these and nowhere else. */
  addresses: ResolvedAddress[];
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** POST (webhooks) unless said otherwise; an ATS's completion notice is a body-less PATCH. */
  method?: "POST" | "PATCH";
}

/** Sends one webhook POST; throws on network errors and timeouts (`TimeoutError`). */
export type Sender = (request: SendRequest) => Promise<SendResult>;

/** A receiver's answer body is drained up to this size, then the connection is dropped. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

/** A lookup that answers with the addresses already checked, instead of asking DNS again. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/**
 * Sends with Node's http/https clients over keep-alive agents, connecting only to the checked
 * addresses (TLS still verifies the certificate against the URL's host name). Redirects are
 * not followed. `close` drops the pooled connections.
 */
export function pinnedSender(): { send: Sender; close: () => void } {
  const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
  const send: Sender = ({ url, addresses, headers, body, timeoutMs, method = "POST" }) =>
    new Promise((resolve, reject) => {
      const secure = url.protocol === "https:";
      const req = (secure ? https : http).request(
        url,
        {
          method,
          agent: secure ? agents["https:"] : agents["http:"],
          headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
          lookup: pinnedLookup(addresses),
        },
        (res) => {
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === "string" ? retryAfter : null });
          // The answer's body is not used: drain it so the connection can be reused, but only within the
          // same deadline and size, so a receiver that streams forever cannot hold a socket per delivery.
          let bytes = 0;
          res.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_RESPONSE_BODY_BYTES) res.destroy();
          });
          res.on("end", () => clearTimeout(timer));
          res.on("close", () => clearTimeout(timer));
          res.on("error", () => {});
          res.resume();
        },
      );
      // The whole attempt: connecting, the answer's status line and its body.
      const timer = setTimeout(() => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })), timeoutMs);
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  return {
    send,
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
