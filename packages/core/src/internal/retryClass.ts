import type { SourceError } from "../SourceError.ts"

/**
 * How retry treats an error: `transient` and `rate-limited` are tried again (the latter no sooner than
 * the API asked), `permanent` never is. The one place that decides which errors are worth another attempt.
 */
export const retryClass = (error: SourceError): "transient" | "rate-limited" | "permanent" => {
  switch (error._tag) {
    case "Transient":
      return "transient"
    case "RateLimited":
      return "rate-limited"
    default:
      return "permanent"
  }
}
