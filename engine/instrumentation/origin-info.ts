// What a client span needs to know about a call's origin (`scheme://host[:port]`), parsed once
// per distinct origin and cached: a service talks to a handful of origins, so the parse and the
// `propagateTo` list lookup leave the per-call path after the first call.

/** One origin, as the URL standard serialises it (default port omitted). */
export class OriginInfo {
  /** `http://host:port`, exactly as used for `propagateTo` lists. */
  readonly origin: string;
  /** `server.address`: host name or IP, IPv6 without brackets. */
  readonly address: string;
  /** `server.port`: explicit port, else the scheme's default. */
  readonly port: number;
  /** Result of a `propagateTo` origin list for this origin (true when no list is set). */
  readonly listed: boolean;

  constructor(origin: string, address: string, port: number, listed: boolean) {
    this.origin = origin;
    this.address = address;
    this.port = port;
    this.listed = listed;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/**
 * Splits `host[:port]` (a Host header or the authority of an origin) into address and port.
 * IPv6 literals keep their brackets in the origin but lose them in `server.address` (OpenTelemetry
 * semantic conventions: server.address is the bare IP).
 */
export function splitAuthority(authority: string, protocol: string): { address: string; port: number } {
  let address = authority;
  let portText = '';
  if (authority.charCodeAt(0) === 91 /* [ */) {
    const close = authority.indexOf(']');
    address = close === -1 ? authority.slice(1) : authority.slice(1, close);
    if (close !== -1 && authority.charCodeAt(close + 1) === 58 /* : */) portText = authority.slice(close + 2);
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon !== -1) {
      address = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  const port = portText === '' ? NaN : Number(portText);
  return { address, port: Number.isInteger(port) && port > 0 && port < 65536 ? port : (DEFAULT_PORTS[protocol] ?? 0) };
}

/** Bounded so a client that calls many generated hosts cannot grow the cache without limit. */
const MAX_CACHED = 256;

/** Caches `OriginInfo` per origin string for one resolved configuration. */
export class OriginCache {
  private readonly byOrigin = new Map<string, OriginInfo>();
  private readonly isListed: ((origin: string) => boolean) | null;

  constructor(isListed: ((origin: string) => boolean) | null) {
    this.isListed = isListed;
  }

  /**
   * Info for `protocol//authority` (`protocol` with its colon, as `url.protocol` and
   * `ClientRequest#protocol` give it). Lower-cases nothing: both clients already normalise.
   */
  get(protocol: string, authority: string): OriginInfo {
    const origin = protocol + '//' + authority;
    let info = this.byOrigin.get(origin);
    if (info === undefined) {
      const { address, port } = splitAuthority(authority, protocol);
      info = new OriginInfo(origin, address, port, this.isListed === null || this.isListed(origin));
      if (this.byOrigin.size >= MAX_CACHED) this.byOrigin.clear();
      this.byOrigin.set(origin, info);
    }
    return info;
  }

  /** Info for an origin string (`scheme://authority`), as undici gives it. */
  getByOrigin(origin: string): OriginInfo {
    const cached = this.byOrigin.get(origin);
    if (cached !== undefined) return cached;
    const sep = origin.indexOf('//');
    if (sep === -1) return this.get('', origin);
    return this.get(origin.slice(0, sep), stripTrailingSlash(origin.slice(sep + 2)));
  }
}

function stripTrailingSlash(s: string): string {
  return s.charCodeAt(s.length - 1) === 47 /* / */ ? s.slice(0, -1) : s;
}
