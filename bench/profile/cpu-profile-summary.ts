// Reads a V8 .cpuprofile (node --cpu-prof) and says where the busy time went: shares by origin
// (this module's engine and Nest layer, Fastify, Nest, node core, native, GC), the functions with
// the most self time, and this module's functions by inclusive time. Shares are of samples, not
// of time deltas: on a busy machine a sample taken after the process was descheduled carries the
// whole gap (deltas of 50-200 ms against a 1 ms interval were seen), which credited whatever ran
// next with time nobody spent.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Busy samples (every sample but idle) times the median sampling interval, in µs. */
  readonly busyUs: number;
  /** Share of busy time per origin, largest first. */
  readonly origins: ReadonlyArray<readonly [string, number]>;
  readonly topSelf: ReadonlyArray<readonly [string, number]>;
  /** This module's functions (dist/engine, dist/nest) by inclusive share of busy time. */
  readonly ownInclusive: ReadonlyArray<readonly [string, number]>;
  /** Share of busy samples with the exporter's send path (engine/export/transport) on the stack. */
  readonly exportSend: number;
  /** Share of busy samples in serialization (engine/export/otlp) on the stack. */
  readonly exportSerialize: number;
}

function origin(url: string, name: string): string {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)') return 'program';
  if (url.includes('/dist/engine/')) return 'this module: engine';
  if (url.includes('/dist/nest/')) return 'this module: nest';
  if (url.includes('/dist/bench/')) return 'bench server';
  if (url.includes('@nestjs')) return 'nest';
  if (/fastify|find-my-way|avvio|light-my-request/.test(url)) return 'fastify';
  if (url.startsWith('node:')) return 'node core (js)';
  if (url === '') return 'native (syscalls, builtins)';
  const pkg = url.replace(/.*node_modules\//, '').split('/');
  return pkg[0]!.startsWith('@') ? `${pkg[0]}/${pkg[1]}` : pkg[0]!;
}

function label(node: ProfileNode): string {
  const f = node.callFrame;
  return `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(node_modules|dist)\//, '')}:${f.lineNumber + 1}`;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  for (const id of profile.samples) time.set(id, (time.get(id) ?? 0) + 1);
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = deltas[deltas.length >> 1] ?? 0;
  let busy = 0;
  const origins = new Map<string, number>();
  const self = new Map<string, number>();
  const own = new Map<string, number>();
  let send = 0;
  let serialize = 0;
  for (const [id, t] of time) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += t;
    const o = origin(node.callFrame.url, node.callFrame.functionName);
    origins.set(o, (origins.get(o) ?? 0) + t);
    self.set(label(node), (self.get(label(node)) ?? 0) + t);
    const seen = new Set<string>();
    let inSend = false;
    let inSerialize = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.url.includes('/dist/engine/export/transport/')) inSend = true;
      if (n.callFrame.url.includes('/dist/engine/export/otlp/')) inSerialize = true;
      if (!/\/dist\/(engine|nest)\//.test(n.callFrame.url)) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      own.set(key, (own.get(key) ?? 0) + t);
    }
    if (inSend) send += t;
    if (inSerialize) serialize += t;
  }
  const share = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, busy > 0 ? v / busy : 0] as const);
  return {
    busyUs: busy * interval,
    origins: share(origins, 20),
    topSelf: share(self, top),
    ownInclusive: share(own, top),
    exportSend: busy > 0 ? send / busy : 0,
    exportSerialize: busy > 0 ? serialize / busy : 0,
  };
}
