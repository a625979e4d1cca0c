/**
 * Where the SQL of the two databases differs, as fragments the shared
 * statements (store/sql/) are built from. Everything else they share is SQL
 * that SQLite and PostgreSQL read alike, with `@name` parameters (both
 * stores bind by name). One instance per database: SQLITE_DIALECT and
 * POSTGRES_DIALECT.
 */
export interface Dialect {
  /** Now, as the time columns hold it (SQLite: the `@now` parameter in ms, the store's clock; PostgreSQL: `now()`). */
  now: string;
  /** Now plus `seconds` (an integer parameter or column). */
  afterSeconds(seconds: string): string;
  /** Now plus the milliseconds in parameter `param`. */
  msAhead(param: string): string;
  /** The start of the current day in UTC. */
  utcDayStart: string;
  /** Now minus the milliseconds in parameter `param`. */
  msAgo(param: string): string;
  /** A time expression as epoch milliseconds. */
  epochMs(expression: string): string;
  /** Parameter `param` (JSON text) as a JSON column holds it. */
  json(param: string): string;
}
