import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "./errors.js";

/** Reads the JSON body and checks it against a shared schema, naming the failing field. */
export async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON");
  }
  return parseValue(schema, raw);
}

/** Checks a value against a schema and throws `validation_failed` naming the first bad field. */
export function parseValue<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  const message = field ? `${field}: ${issue.message}` : issue.message;
  throw new AppError("validation_failed", message, field || undefined);
}
