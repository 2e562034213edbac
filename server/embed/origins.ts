/**
 * Origins whose pages may embed the candidate and interviewer pages: the kit's
 * own (from `PUBLIC_URL`) and those listed in `EMBED_ALLOWED_ORIGINS`, which
 * the config has already reduced to bare origins.
 */
export function embedOrigins(publicUrl: string, configured: readonly string[]): string[] {
  return [...new Set([new URL(publicUrl).origin, ...configured])];
}
