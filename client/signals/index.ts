export {
  collectEnvironment,
  collectNetwork,
  readConnection,
  readZone,
  readZoneInWorker,
  ZONE_WORKER_SOURCE,
  type StatsEntry,
} from "./collect.js";
