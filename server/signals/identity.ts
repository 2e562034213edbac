import { isEvent } from "../../shared/events.js";
import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

const pct = (x: number) => x.toFixed(2);

/**
 * Identity continuity, from what the kit's own verifier and monitor decoded:
 * a face that left the verified reference mid-interview, a different person
 * under the same email in a later round, one face under several names, a pass
 * that left the monitor nothing to compare with, and a candidate who joined
 * without video. Every flag carries its numbers and the threshold they were
 * held against.
 */
export function identityRule(ctx: SignalContext): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const mismatches = ctx.events.filter((e) => e.type === "face_mismatch");
  if (mismatches.length) {
    const last = mismatches.at(-1)!;
    // A legacy row counts as an episode; its numbers are not read.
    const data = isEvent(last, "face_mismatch") ? last.data : undefined;
    const similarities = data?.similarities ?? [];
    const threshold = data?.threshold ?? NaN;
    flags.push({
      id: "face_mismatch",
      severity: "high",
      advisoryFlag: "identity",
      title: "A different face took over the camera",
      explanation:
        `The kit's monitor compared the face in the interview with the face that passed verification about once a second. ` +
        `${mismatches.length} time(s) it stayed below the match threshold ${pct(threshold)} for ${data?.seconds} s or more ` +
        `(similarities ${similarities.map(pct).join(", ")}; the same person scores well above the threshold).`,
      evidence: { episodes: mismatches.length, lastAt: last.at, similarities, threshold, snapshotId: data?.snapshotId },
    });
  }
  for (const e of ctx.events) {
    if (e.type !== "identity_checked" || e.legacy) continue;
    const check = e.data;
    const changed = check.rounds.filter((r) => !r.samePerson);
    if (changed.length) {
      flags.push({
        id: "identity_changed",
        severity: "high",
        advisoryFlag: "identity",
        title: "A different person than in an earlier round under the same email",
        explanation:
          `This interview's verified face was compared with the candidate's earlier interviews under the same email. ` +
          changed.map((r) => `Round ${r.round} scored ${pct(r.similarity)}`).join("; ") +
          `, below the match threshold ${pct(check.threshold)}: a stand-in may have taken this round or an earlier one.`,
        evidence: { rounds: check.rounds, threshold: check.threshold },
      });
    }
    const otherPerson = (check.earlierPasses ?? []).filter((p) => !p.samePerson);
    if (otherPerson.length) {
      flags.push({
        id: "identity_changed",
        severity: "high",
        advisoryFlag: "identity",
        title: "A different person passed verification in this interview than the one who passed first",
        explanation:
          `This pass's face was compared with the earlier passes of the same interview: ` +
          otherPerson.map((p) => `the pass of check ${p.challengeId} scored ${pct(p.similarity)}`).join("; ") +
          `, below the match threshold ${pct(check.threshold)}. The monitor keeps comparing with the first verified face.`,
        evidence: { earlierPasses: check.earlierPasses, threshold: check.threshold, challengeId: check.challengeId },
      });
    }
    if (check.reused.length) {
      flags.push({
        id: "face_reused",
        severity: "high",
        advisoryFlag: "identity",
        title: "The same face is on file under another name",
        explanation:
          `The verified face matches ${check.reused.length} interview(s) under a different name or email: ` +
          check.reused.map((r) => `"${r.candidateName}" (interview ${r.interviewId}, similarity ${pct(r.similarity)})`).join(", ") +
          `, at or above the match threshold ${pct(check.threshold)}. One person behind several personas is the advisory's pattern.`,
        evidence: { reused: check.reused, threshold: check.threshold, searched: check.searched },
      });
    }
  }
  const decoys = ctx.events.filter((e) => e.type === "extra_video_track");
  if (decoys.length) {
    const tracks = decoys.map((e) => (isEvent(e, "extra_video_track") ? e.data : undefined)).filter((d) => d !== undefined);
    flags.push({
      id: "extra_video_track",
      severity: "high",
      advisoryFlag: "identity",
      title: "The candidate published a second video track",
      explanation:
        `Besides the one camera the kit watches and shows, the candidate published ${decoys.length} more video track(s): ` +
        tracks.map((d) => `source ${d.source}${d.width ? ` ${d.width}×${d.height}` : ""}`).join(", ") +
        `. The kit's page never does this; a script does, to show the interviewer one picture while the kit judges another. ` +
        `The kit stopped the track and removed the candidate from the room.`,
      evidence: { tracks, firstAt: decoys[0]!.at },
    });
  }
  const notLive = ctx.events.filter((e) => e.type === "static_video" || e.type === "looped_video");
  if (notLive.length) {
    const episodes = notLive.map((e) =>
      isEvent(e, "static_video")
        ? `a still face for ${e.data.seconds} s (largest change ${e.data.motion}, under ${e.data.threshold})`
        : isEvent(e, "looped_video")
          ? `a face repeating every ${e.data.periodSeconds} s, ${e.data.repeats} samples in a row (distance ≤ ${e.data.difference}, under ${e.data.threshold})`
          : e.type,
    );
    flags.push({
      id: "video_not_live",
      severity: "high",
      advisoryFlag: "identity",
      title: "The camera showed a still picture or a looping clip, not live video",
      explanation:
        `The kit's monitor compares the face on the candidate's camera with itself twice a second. It saw ${episodes.join("; ")}. ` +
        `A person on camera always moves a little (blinks, speech, breathing); a picture or a clip on a virtual camera does not, or repeats itself. ` +
        `Ask the candidate to turn their head or re-check identity.`,
      evidence: { episodes: notLive.map((e) => ({ type: e.type, at: e.at, ...(e.data as object) })), firstAt: notLive[0]!.at },
    });
  }
  const unreferenced = ctx.events.filter((e) => e.type === "no_reference_face");
  if (unreferenced.length) {
    const challenges = unreferenced.map((e) => (e.data as { challengeId?: unknown }).challengeId).filter((c): c is string => typeof c === "string");
    // The monitor compares with the interview's newest stored reference: one from another pass, if any.
    const referenced = ctx.events.filter((e) => e.type === "identity_checked").map((e) => (e.data as { challengeId?: unknown }).challengeId);
    const other = referenced.some((c) => typeof c === "string" && !challenges.includes(c));
    flags.push({
      id: "no_reference_face",
      severity: "medium",
      advisoryFlag: "identity",
      title: "Verified without a reference face: the monitor cannot compare faces",
      explanation:
        `${unreferenced.length} liveness pass(es) stored no reference face (the verifier could not take one, or the kit could not keep it). ` +
        (other
          ? "The kit's monitor compares the interview only with the face of another pass in this interview, so whoever passed this check is never compared."
          : "The kit's monitor has no verified face to compare the interview with: a different person on the camera would not be flagged.") +
        " Compare the person on camera with the verification snapshots yourself.",
      evidence: { challenges, lastAt: unreferenced.at(-1)!.at, comparedWithAnotherPass: other },
    });
  }
  const noVideo = ctx.events.filter((e) => e.type === "no_video");
  if (noVideo.length) {
    const last = noVideo.at(-1)!;
    const seconds = isEvent(last, "no_video") ? last.data.seconds : undefined;
    flags.push({
      id: "no_video",
      severity: "medium",
      advisoryFlag: "refuses_video",
      title: "Joined the interview without video",
      explanation: `The candidate joined the interview room and sent no camera video for ${seconds} s (${noVideo.length} time(s)).`,
      evidence: { times: noVideo.length, lastAt: last.at },
    });
  }
  return flags;
}
