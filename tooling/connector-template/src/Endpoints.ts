/**
 * The API's endpoints.
 *
 * @since 0.1.0
 */
import { HttpClientRequest } from "effect/http"

/**
 * Every contest's results.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const results = HttpClientRequest.get("/v1/results")
