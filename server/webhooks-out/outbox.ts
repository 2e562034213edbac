import type { OutboxMapper } from "../store/index.js";
import { riskChangedEvent, toWebhookEvents } from "./map.js";

/** The Timeline's outbox: each recorded event's outgoing webhook messages, with their exact bodies. */
export const webhookOutbox: OutboxMapper = (event) =>
  [...toWebhookEvents(event.interviewId, event), ...(event.riskChange ? [riskChangedEvent(event.interviewId, event, event.riskChange)] : [])].map(
    ({ event: out, onceKey }) => ({
      type: out.type,
      payload: JSON.stringify(out),
      ...(onceKey ? { onceKey } : {}),
    }),
  );
