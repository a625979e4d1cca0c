/** Newest-first pages by id: the store reads one row more than the page holds, which tells whether an older page exists. */

/** The store filter of a page of `limit` rows below the `cursor` id. */
export function pageFilter(limit: number, cursor: string | undefined): { limit: number; beforeId?: number } {
  return { limit: limit + 1, ...(cursor ? { beforeId: Number(cursor) } : {}) };
}

export function newestFirstPage<R extends { id: number }>(
  rows: readonly R[],
  limit: number,
): { page: R[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, next_cursor: rows.length > limit ? String(page.at(-1)!.id) : null };
}
