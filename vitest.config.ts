import { defineConfig } from "vitest/config"

// One run over every package: `pnpm vitest`. Each package's own config extends tooling/vitest-config.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts", "tooling/*/vitest.config.ts"]
  }
})
