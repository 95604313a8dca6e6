// Counts the deoptimizations in a `node --trace-deopt` log by function and reason: a function
// deoptimized again and again under steady load (a deopt loop) shows as a large count, a shape
// change that happened once as a count of one or two.
export interface DeoptCount {
  readonly fn: string;
  readonly reason: string;
  readonly count: number;
}

// `[bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x…<JSFunction onwrite (sfi = …)>, …`
const LINE = /\[bailout \(kind: ([^,]+), reason: ([^)]*)\): begin\. deoptimizing [^<]*<JSFunction ([^ >]*)/;

export function countDeopts(log: string): DeoptCount[] {
  const counts = new Map<string, DeoptCount>();
  for (const line of log.split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const fn = m[3] === '' ? '(anonymous)' : m[3]!;
    const key = `${fn}\u0000${m[2]}`;
    const prev = counts.get(key);
    counts.set(key, { fn, reason: m[2]!, count: (prev?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}
