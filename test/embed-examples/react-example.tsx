import { useEffect, useRef } from "react";
import type { VerifyInterviewElement } from "./verify-interview";

/** The candidate's identity check inside your page; `onPassed` gets the token for your backend. */
export function IdentityCheck({ candidateUrl, onPassed }: { candidateUrl: string; onPassed: (token: string) => void }) {
  const ref = useRef<VerifyInterviewElement>(null);
  useEffect(() => {
    const widget = ref.current;
    if (!widget) return;
    const verified = (e: CustomEvent<{ token: string }>) => onPassed(e.detail.token);
    widget.addEventListener("verified", verified);
    return () => widget.removeEventListener("verified", verified);
  }, [onPassed]);
  return <verify-interview ref={ref} src={candidateUrl} theme="auto" />;
}
