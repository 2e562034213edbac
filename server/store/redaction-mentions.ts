/**
 * Another interview's `identity_checked` data (stored JSON) with the redacted candidate's entries
 * stripped: the email removed and the name replaced. Undefined when the data names no such entry,
 * so the caller leaves the row alone. Both stores call this inside their redaction transaction.
 */
export function withoutCandidateMentions(storedData: string, interviewId: string, placeholderName: string): string | undefined {
  const data = JSON.parse(storedData) as { reused?: Array<Record<string, unknown>> };
  if (!Array.isArray(data.reused) || !data.reused.some((r) => r.interviewId === interviewId)) return undefined;
  data.reused = data.reused.map((r) => {
    if (r.interviewId !== interviewId) return r;
    const { candidateEmail: _email, ...rest } = r;
    return { ...rest, candidateName: placeholderName };
  });
  return JSON.stringify(data);
}
