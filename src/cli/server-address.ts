/** Where a server for a URL listens, and whether that is this machine. */
import { bareHost, isLoopbackHost } from '../core/config.js';

export interface ServerAddress {
  host: string;
  port: number;
}

export function serverAddress(serverUrl: string): ServerAddress {
  const url = new URL(serverUrl);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host: bareHost(url.hostname), port };
}

/** A server on a loopback address: the CLI may start it, and shares its files (logs). */
export function isLocalServerUrl(serverUrl: string): boolean {
  return isLoopbackHost(serverAddress(serverUrl).host);
}
