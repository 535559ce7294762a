/**
 * @electfeed/sync: the pieces of the `electfeed` app, for apps of your own.
 *
 * @since 0.1.0
 */

/**
 * The config file: loading and checking.
 *
 * @since 0.1.0
 */
export * as AppConfig from "./AppConfig.ts"

/**
 * The installed sources.
 *
 * @since 0.1.0
 */
export * as Sources from "./Sources.ts"
/**
 * The engine: one pass, or polling.
 *
 * @since 0.1.0
 */
export * as Sync from "./Sync.ts"
/**
 * The store: SQLite or PostgreSQL.
 *
 * @since 0.1.0
 */
export * as Store from "./store/Store.ts"
