/**
 * A webhook dispatcher as a process of its own: sends the outbox's due deliveries from the same
 * database as the kit, with the kit's configuration (the same environment). The kit starts one
 * (`WEBHOOK_DISPATCHER=process`, the default) so deliveries never share the API's event loop; at
 * scale, run several with `WEBHOOK_DISPATCHER=off` on the kit: claims are leased, so each delivery
 * goes out once whichever dispatcher takes it.
 *
 *   npx tsx server/webhooks-out/main.ts
 *
 * Started by the kit it is given `--exit-with-parent`: it exits as soon as its standard input
 * closes, which happens when the kit exits for any reason, SIGKILL included, so it is never left
 * behind. What it had claimed and not sent is taken again once the claims' lease lapses.
 */
import { whenParentGone } from "../children/index.js";
import { loadConfigOrExit } from "../config/index.js";
import { openStore } from "../store/index.js";
import { WebhookDispatcher } from "./dispatcher.js";

/** Printed once the dispatcher is sending. */
export const DISPATCHER_READY_LINE = "webhook dispatcher running";

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const store = await openStore(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  const { allowPrivateUrls, timeoutMs } = config.webhooks;
  const stopDispatcher = new WebhookDispatcher({ store: store.webhooks, allowPrivateUrls, timeoutMs }).start();
  // The dispatcher's poll timer is unref'd so it never holds the kit open; run alone on SQLite,
  // nothing else would keep this process from exiting as soon as the outbox is empty.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    await stopDispatcher();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // The parent is gone: exit at once, like the crash it may be; leases hand the claims on.
  whenParentGone(() => process.exit(0));
  console.log(DISPATCHER_READY_LINE);
}

await main();
