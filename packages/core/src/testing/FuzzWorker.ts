/**
 * The entry of a fuzzing worker thread (see `Fuzz.runInWorkers`): imports the target's module, then feeds
 * it its bodies one by one, telling the main thread as it goes.
 *
 * @since 0.1.0
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { attempt, body, type Target, type WorkerData, type WorkerMessage } from "./Fuzz.ts"

const data = workerData as WorkerData
const { targets } = (await import(data.module)) as { readonly targets: ReadonlyArray<Target> }
const target = targets.find((candidate) => candidate.name === data.target)
if (target === undefined) throw new Error(`${data.module} has no fuzz target ${data.target}`)
const tell = (message: WorkerMessage) => parentPort!.postMessage(message)

tell({ _tag: "Ready" })
for (let index = data.first; index < data.end; index++) {
  const { outcome, detail } = await Effect.runPromise(attempt(target, body(target, data.seed, index), data.hangMillis))
  tell({ _tag: "Done", index, outcome, detail })
}
