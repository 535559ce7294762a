import { Effect } from "effect"
import type { LogFormat } from "./Output.ts"
export const run = (_: { readonly store: string; readonly logFormat: LogFormat }) => Effect.void
