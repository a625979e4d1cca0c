/** How the client sends its requests: the global fetch, or anything that answers like it (see http-fetch.ts). */

/** The part of a fetch Response the client reads. */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** How the client sends a request: the global fetch, or anything that answers like it. */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponse>;
