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
  /** Now minus the milliseconds in parameter `param`. */
  msAgo(param: string): string;
  /** A time expression as epoch milliseconds. */
  epochMs(expression: string): string;
  /** Parameter `param` (JSON text) as a JSON column holds it. */
  json(param: string): string;
  /** The start (00:00 UTC) of the day that was `daysBack` (an integer parameter) days before today, as a time column holds it. */
  utcDayStart(daysBack: string): string;
  /** The UTC day of a time column, as `YYYY-MM-DD` text. */
  utcDay(column: string): string;
  /** The whole number under `key` of a JSON column (NULL when it has none). */
  jsonInteger(column: string, key: string): string;
}
