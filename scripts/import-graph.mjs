// Reads the static imports of every TypeScript source file and reports the graph between the
// project's folders: cross-folder import counts and import cycles between files. The layering
// test (test/layering.test.ts) applies the rules to the same graph.
// Usage: node scripts/import-graph.mjs [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_ROOTS = ['engine', 'nest', 'bench', 'examples', 'test'];
// `import … from '…'`, `export … from '…'`, `import('…')` and side-effect `import '…'`.
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm;

/** Every .ts file under the source roots, as a path relative to the repository with `/`. */
export function sourceFiles(root = ROOT) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (name === 'node_modules' || name === 'fixtures') continue;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const dir of SOURCE_ROOTS) walk(dir);
  return files;
}

/** `{ from, specifier, to }` for each import; `to` is the repository path of a relative import, else null. */
export function imports(file, root = ROOT) {
  const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[1] ?? m[2] ?? m[3];
    let to = null;
    if (specifier.startsWith('.')) to = normalize(join(dirname(file), specifier)).split(sep).join('/').replace(/\.js$/, '.ts');
    out.push({ from: file, specifier, to });
  }
  return out;
}

/** The folder a file belongs to for layering: `engine/<sub>` inside the engine, else its top folder. */
export function folderOf(file) {
  if (file === 'engine/index.ts' || file === 'engine/internal.ts' || file === 'engine/errors.ts') return file.slice(0, -3);
  const parts = file.split('/');
  if (parts[0] === 'engine' && parts.length > 2) return `engine/${parts[1]}`;
  if (parts[0] === 'nest' && parts.length > 2) return `nest/${parts[1]}`;
  return parts[0];
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
export function cycles(edges) {
  const graph = new Map();
  for (const { from, to } of edges) {
    if (to === null) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from).add(to);
  }
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

export function graph(root = ROOT) {
  const edges = sourceFiles(root).flatMap((f) => imports(f, root));
  const cross = new Map();
  for (const e of edges) {
    if (e.to === null) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    const key = `${a} -> ${b}`;
    cross.set(key, (cross.get(key) ?? 0) + 1);
  }
  const shipped = edges.filter((e) => e.from.startsWith('engine/') || e.from.startsWith('nest/'));
  const folderEdges = shipped.filter((e) => e.to !== null).map((e) => ({ from: folderOf(e.from), to: folderOf(e.to) })).filter((e) => e.from !== e.to);
  return { edges, cross, cycles: cycles(shipped), folderCycles: cycles(folderEdges) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const { edges, cross, cycles: found, folderCycles } = graph();
  const shippedCross = [...cross].filter(([k]) => /^(engine|nest)/.test(k) && /-> (engine|nest)/.test(k));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ imports: edges.length, cross: Object.fromEntries(cross), cycles: found, folderCycles }, null, 2));
  } else {
    console.log(`${edges.length} imports; ${shippedCross.reduce((n, [, c]) => n + c, 0)} cross-folder imports inside engine/ and nest/ over ${shippedCross.length} folder pairs; ${found.length} import cycles among shipped files; ${folderCycles.length} among their folders`);
    for (const [k, c] of shippedCross.sort()) console.log(`  ${k}: ${c}`);
    for (const c of found) console.log(`  file cycle: ${c.map((f) => relative('.', f)).join(' <-> ')}`);
    for (const c of folderCycles) console.log(`  folder cycle: ${c.join(' <-> ')}`);
  }
}
