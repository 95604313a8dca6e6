// Ports and addresses of the two demo services, from the environment (tests start them on
// free ports), with the README's defaults.

export const DEMO_CONFIG = Symbol('DEMO_CONFIG');

export interface DemoConfig {
  readonly gatewayPort: number;
  readonly ordersPort: number;
  /** Where the gateway reaches the orders service. */
  readonly ordersUrl: string;
  /** Host both services listen on (DEMO_HOST, default 127.0.0.1: the demo is not meant to face a network). */
  readonly host: string;
  /**
   * Whether the gateway serves POST /test, the W3C harness's relay (DEMO_W3C_TEST=1). Off by
   * default: it makes outbound calls on a caller's behalf.
   */
  readonly w3cTest: boolean;
  /**
   * Hosts POST /test may call besides loopback addresses (DEMO_W3C_TEST_ALLOW_HOSTS, comma
   * separated host names or host:port), for a harness running on another machine.
   */
  readonly w3cTestAllowHosts: readonly string[];
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new TypeError(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function demoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const host = env.DEMO_HOST ?? '127.0.0.1';
  const ordersPort = port(env, 'PORT_ORDERS', 3001);
  return {
    gatewayPort: port(env, 'PORT_GATEWAY', 3000),
    ordersPort,
    ordersUrl: env.ORDERS_URL ?? `http://${host}:${ordersPort}`,
    host,
    w3cTest: env.DEMO_W3C_TEST === '1',
    w3cTestAllowHosts: (env.DEMO_W3C_TEST_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ''),
  };
}
