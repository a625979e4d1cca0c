/** The URL of a server bound to `host:port`, as the pid file and the CLI show it. */
import { bareHost } from '../core/config.js';

/** `http://host:port`, with an IPv6 address in brackets whether `host` had them or not. */
export function listenUrl(host: string, port: number): string {
  const bare = bareHost(host);
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}
