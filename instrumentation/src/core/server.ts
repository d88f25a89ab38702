export interface ServerInfo {
  readonly address: string;
  readonly port: number;
}

const cache = new Map<string, ServerInfo | undefined>();

/** server.address and server.port of a base URL (default ports filled in); parsed once per URL. */
export function serverInfo(baseURL: string | undefined): ServerInfo | undefined {
  if (baseURL === undefined || baseURL === '') return undefined;
  if (cache.has(baseURL)) return cache.get(baseURL);
  let info: ServerInfo | undefined;
  try {
    const url = new URL(baseURL);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
    info = { address: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    info = undefined;
  }
  if (cache.size > 256) cache.clear();
  cache.set(baseURL, info);
  return info;
}
