import { Schema } from "effect"

// The two package.json fields a connector's identity comes from; the rest of the manifest is ignored.
const Manifest = Schema.Struct({
  name: Schema.String.check(Schema.isPattern(/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/)),
  version: Schema.String.check(Schema.isPattern(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/))
})

// A package's own manifest is part of its build, so a bad one is a bug to stop on at import, not input.
export const connectorOf = (manifest: unknown): string => {
  const { name, version } = Schema.decodeUnknownSync(Manifest)(manifest)
  return `${name}@${version}`
}
