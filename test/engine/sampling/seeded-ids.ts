// Deterministic trace ids for statistical tests (mulberry32: fixed seed, same ids every run).
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededTraceIds(seed: number, count: number): string[] {
  const next = seededRandom(seed);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    let id = '';
    for (let w = 0; w < 4; w++) id += Math.floor(next() * 4294967296).toString(16).padStart(8, '0');
    ids.push(id);
  }
  return ids;
}
