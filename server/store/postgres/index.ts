export { PgStore } from "./pg-store.js";
