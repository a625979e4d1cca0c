/**
 * How far a PostgreSQL database's schema is, without changing it: the
 * version its migrations table records (0 when none ran) against the steps
 * this code knows.
 */
import pg from 'pg';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrations.js';
import { APPLICATION_NAME, connectionConfig } from './pool.js';

export interface SchemaVersion {
  found: number;
  supported: number;
}

export async function readSchemaVersion(url: string, timeoutMs: number): Promise<SchemaVersion> {
  const client = new pg.Client({ ...connectionConfig(url, APPLICATION_NAME), connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    // Two statements: a query naming a table that does not exist fails even in a branch never taken.
    const { rows: tables } = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [
      MIGRATIONS_TABLE,
    ]);
    if (tables[0]?.found == null) return { found: 0, supported: MIGRATIONS.length };
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0) AS version FROM ${MIGRATIONS_TABLE}`,
    );
    return { found: Number(rows[0]?.version ?? 0), supported: MIGRATIONS.length };
  } finally {
    await client.end();
  }
}
