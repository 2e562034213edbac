/**
 * React typings for the kit's widget elements (served at
 * `/embed/verify-interview-react.d.ts`; keep it beside `verify-interview.d.ts`).
 * Listen to events with a ref and `addEventListener`, which works in every React version.
 */
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { VerifyInterviewElement, VerifyInterviewRoomElement, VerifyTheme } from "./verify-interview";

type WidgetProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> & { src: string; theme?: VerifyTheme };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "verify-interview": WidgetProps<VerifyInterviewElement>;
      "verify-interview-room": WidgetProps<VerifyInterviewRoomElement>;
    }
  }
}
