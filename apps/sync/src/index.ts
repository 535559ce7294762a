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
 * Connector packages loaded by name, as plugins.
 *
 * @since 0.2.0
 */
export * as Plugins from "./Plugins.ts"
/**
 * The built-in sources.
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
