/**
 * The REST diff is text/plain; these headers say whether it was cut and how
 * big the whole diff is. Apart from the review schemas, so that the client
 * reads them without loading zod.
 */
export const DIFF_TRUNCATED_HEADER = 'x-diff-truncated';
export const DIFF_TOTAL_BYTES_HEADER = 'x-diff-total-bytes';
