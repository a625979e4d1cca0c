/** Latency of requests made one after another, as a client reading the API makes them. */

/** Each request's latency in ms, one after another, after 20 warm-up requests (connections, compiled statements). */
export async function timeRequests(count: number, request: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await request(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await request(i);
    samples.push(performance.now() - started);
  }
  return samples;
}
