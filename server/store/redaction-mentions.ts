/**
 * Another interview's `identity_checked` or `network_checked` data (stored JSON) with the redacted
 * candidate's entries stripped: the email and the address removed and the name replaced. Undefined
 * when the data names no such entry, so the caller leaves the row alone. Both stores call this
 * inside their redaction transaction.
 */
export function withoutCandidateMentions(storedData: string, interviewId: string, placeholderName: string): string | undefined {
  const data = JSON.parse(storedData) as Record<string, unknown>;
  let changed = false;
  for (const list of ["reused", "matches"] as const) {
    const entries = data[list];
    if (!Array.isArray(entries) || !entries.some((r: Record<string, unknown>) => r.interviewId === interviewId)) continue;
    changed = true;
    data[list] = entries.map((r: Record<string, unknown>) => {
      if (r.interviewId !== interviewId) return r;
      const { candidateEmail: _email, ip: _ip, ...rest } = r;
      return { ...rest, candidateName: placeholderName };
    });
  }
  return changed ? JSON.stringify(data) : undefined;
}

/** Fields of a stored challenge verdict that are biometric: kept by kits before they were dropped at the source. */
const BIOMETRIC_VERDICT_FIELDS = ["embedding", "antispoof"] as const;

/**
 * A stored challenge verdict (JSON) without its reference face's embedding and antispoof scores,
 * or undefined when it holds none, so the caller leaves the row alone. Both stores call this inside
 * their redaction transaction; the verification service no longer stores them at all.
 */
export function withoutBiometrics(storedVerdict: string): string | undefined {
  const verdict = JSON.parse(storedVerdict) as { reference?: Record<string, unknown> };
  const ref = verdict.reference;
  if (!ref || typeof ref !== "object" || !BIOMETRIC_VERDICT_FIELDS.some((k) => k in ref)) return undefined;
  const kept = Object.fromEntries(Object.entries(ref).filter(([k]) => !(BIOMETRIC_VERDICT_FIELDS as readonly string[]).includes(k)));
  return JSON.stringify({ ...verdict, reference: kept });
}
