import { defineProject, mergeConfig, type UserWorkspaceConfig } from "vitest/config"

/**
 * The settings every package's tests share: Node, no globals, the effect equality testers, and time
 * limits that leave room for real servers on 127.0.0.1 (waits run on the TestClock, not in real time).
 */
export const shared = defineProject({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./setup.ts", import.meta.url).pathname],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fakeTimers: { toFake: [] }
  }
})

/** A package's vitest project: the shared settings under the package's name. */
export const project = (name: string, overrides: UserWorkspaceConfig = {}) =>
  mergeConfig(shared, mergeConfig(defineProject({ test: { name } }), overrides))
