import type { FitHint, PromptStep } from "../../shared/verification.js";
import { PROMPT_EVENT, TARGET_EVENT } from "../../shared/verification.js";
import { TARGET_PATH } from "../../shared/target-path.js";
import { strings } from "../i18n/index.js";
import type { FitHint as GuidanceHint } from "./trace.js";

/**
 * Where the face check stands on screen, as `#instruction[data-phase]`:
 * browser guidance, waiting for the verifier, the verifier's fit hints, a
 * prompt showing, waiting after a done step, or waiting for the verdict.
 */
export type CheckPhase = "guidance" | "connecting" | "fit" | "prompt" | "wait" | "checking" | "document";

const el = (id: string) => document.getElementById(id);

function setInstruction(phase: CheckPhase, text: string | undefined, step?: PromptStep, index?: number): void {
  const instruction = el("instruction");
  if (!instruction) return;
  instruction.dataset.phase = phase;
  if (text !== undefined) instruction.textContent = text;
  if (step) instruction.dataset.step = step;
  else delete instruction.dataset.step;
  if (index !== undefined) instruction.dataset.index = String(index);
}

function setHint(text: string, good: boolean): void {
  const hint = el("hint");
  if (hint) hint.textContent = text;
  el("oval")?.classList.toggle("good", good);
}

function setProgress(done: number, total: number): void {
  const bar = el("progress-bar");
  if (bar) bar.style.width = `${Math.round((Math.min(done, total) / total) * 100)}%`;
}

/** The browser's own fit hint, shown before the verification starts. */
export function showGuidance(hint: GuidanceHint): void {
  setInstruction("guidance", undefined);
  setHint(strings.guidance[hint], hint === "hold");
}

/** The check has been requested; the verification room is being joined. */
export function showConnecting(): void {
  setInstruction("connecting", strings.checkHeading);
  setHint(strings.connectingVerifier, false);
}

/** The verifier's guidance before its first prompt. */
export function showFit(hint: FitHint): void {
  setInstruction("fit", strings.checkHeading);
  setHint(strings.fit[hint], hint === "hold");
}

/**
 * Shows a prompt at once (the verifier times the reaction from its decision)
 * and announces it with {@link PROMPT_EVENT} on `window`.
 */
export function showPrompt(step: PromptStep, index: number, total: number): void {
  const s = strings;
  setInstruction("prompt", s.steps[step], step, index);
  setHint(s.steps[step], true);
  const label = el("step-label");
  if (label) label.textContent = s.stepOf(index + 1, total);
  setProgress(index, total);
  window.dispatchEvent(new CustomEvent(PROMPT_EVENT, { detail: { step, index, total } }));
}

/** Share of the stage, from its centre, the target travels at the path's largest pose. */
const TARGET_REACH = { x: 0.38, y: 0.34 };

/**
 * Puts a follow target at the pose the verifier (or the interview's monitor) asks for now, inside
 * its stage. The preview is mirrored, so the candidate's left is the screen's left. The target is a
 * ring with a cross (its shape, not its colour, marks it); `text` says in words where it is, updated
 * only when that changes; each move is announced as {@link TARGET_EVENT}.
 */
export function placeTarget(target: HTMLElement | null, text: HTMLElement | null, yaw: number, pitch: number): void {
  if (target) {
    target.hidden = false;
    target.style.left = `${50 - (yaw / TARGET_PATH.maxYawDeg) * TARGET_REACH.x * 100}%`;
    target.style.top = `${50 - (pitch / TARGET_PATH.maxPitchDeg) * TARGET_REACH.y * 100}%`;
  }
  window.dispatchEvent(new CustomEvent(TARGET_EVENT, { detail: { yaw, pitch } }));
  const s = strings.target;
  const where = strings.targetWhere(yaw > 4 ? s.left : yaw < -4 ? s.right : "", pitch > 3 ? s.up : pitch < -3 ? s.down : "");
  if (text && text.textContent !== where) text.textContent = where;
}

/** Hides a follow target and its words, and announces it gone. */
export function removeTarget(target: HTMLElement | null, text: HTMLElement | null): void {
  if (target && !target.hidden) window.dispatchEvent(new CustomEvent(TARGET_EVENT, { detail: null }));
  if (target) target.hidden = true;
  if (text) text.textContent = "";
}

/** Moves the check's follow target (see {@link placeTarget}). */
export function showTarget(yaw: number, pitch: number): void {
  placeTarget(el("target"), el("target-text"), yaw, pitch);
}

function hideTarget(): void {
  removeTarget(el("target"), el("target-text"));
}

/** A move was seen and held: back to facing the camera until the next prompt. */
export function showStepDone(index: number, total: number): void {
  const s = strings;
  hideTarget();
  setInstruction("wait", s.waitNext, undefined, index);
  setHint(s.waitNext, true);
  setProgress(index + 1, total);
}

/**
 * After a pass: hold an identity document up to the camera. The page has asked the camera for
 * 1280x720; `skip` ends the step (the kit then records that no document was read).
 */
export function showDocumentStep(skip: () => void): void {
  hideTarget();
  setInstruction("document", strings.documentHeading);
  setHint(strings.documentPrompt, true);
  setProgress(1, 1);
  const hint = el("hint");
  if (hint && !el("document-skip")) {
    const button = document.createElement("button");
    button.id = "document-skip";
    button.type = "button";
    button.textContent = strings.documentSkip;
    button.onclick = () => {
      button.remove();
      skip();
    };
    hint.after(button);
  }
}

/** The verifier has finished; the verdict is being read. */
export function showChecking(): void {
  hideTarget();
  setInstruction("checking", strings.verifying);
  setHint(strings.verifying, true);
}
