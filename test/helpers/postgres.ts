import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** The run's Postgres cluster (test/postgres-setup.ts), as its superuser. */
export const postgresAdminUrl = () => inject("postgresUrl");

/** A URL of the same cluster naming another database. */
export function databaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (from template0: no kit tables until a store migrates it); returns its URL. */
export async function createDatabase(prefix = "kit"): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  // Identifiers cannot be parameters; this one is made here of [a-z0-9_] only.
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0`));
  return databaseUrl(name);
}

/** Drops a database made by `createDatabase`, closing whatever connections are left. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
