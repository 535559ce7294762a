#!/usr/bin/env -S node --max-semi-space-size=16
/**
 * The `electfeed` executable.
 *
 * The shebang caps V8's young generation at 16 MB: on long bulk reads V8 otherwise grows it to 128 MB,
 * which is most of the process's memory (see the Ballotpedia benchmark).
 *
 * What is installed and run is this file bundled with the app's modules (`dist/bin/electfeed.js`, see
 * `scripts/bundle.ts`); tests and a checkout without a build run it as it is. Start-up is mostly loading
 * the modules the CLI needs (effect's among them), so Node's compile cache is switched on before they
 * load: the CLI (`internal/main.ts`) is imported after it, not at the top, because static imports would
 * load before it. The bundle first gives connectors loaded as plugins its own copy of effect and core
 * (`internal/sharedModules.ts`).
 *
 * @since 0.1.0
 */
import * as Module from "node:module"
import { share } from "./internal/sharedModules.ts"

/** In the bundle only (`scripts/bundle.ts` defines it): its entry that plugins get effect and core from. */
declare const ELECTFEED_SHARED: string | undefined

// Kept in Node's default place (the system's temp directory) unless NODE_COMPILE_CACHE says otherwise.
Module.enableCompileCache?.()
if (typeof ELECTFEED_SHARED === "string") share(new URL(ELECTFEED_SHARED, import.meta.url))

await import("./internal/main.ts")
