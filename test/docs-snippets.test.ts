// Every TypeScript snippet in the README and docs/ compiles against the package as a user
// imports it (`nestjs-trace-context`, `/engine`, `/testing`, `/microservices`, resolved through
// package.json "exports" to the built declarations), so no snippet can rot when an API changes.
// Each ```ts block is one module; a block that needs names from an earlier one imports them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'dist', 'doc-snippets');

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

function markdownFiles(): string[] {
  const files = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  try {
    walk(join(ROOT, 'docs'));
  } catch {
    // no docs/ folder
  }
  return files;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*```(ts|typescript)\s*$/.test(lines[i]!)) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
      out.push({ file: relative(ROOT, file), line: start + 1, code: lines.slice(start, end).join('\n') });
      i = end;
    }
  }
  return out;
}

test('every TypeScript snippet in README.md and docs/ compiles against the published entry points', () => {
  const all = snippets();
  assert.ok(all.length > 0, 'no ```ts snippets found');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const names = all.map((s, i) => {
    const name = join(OUT, `${s.file.replace(/[^A-Za-z0-9]+/g, '_')}_${String(i).padStart(3, '0')}.ts`);
    // `export {}` makes each block a module, so two blocks may declare the same name.
    writeFileSync(name, `${s.code}\nexport {};\n`);
    return name;
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts'],
  };
  const program = ts.createProgram(names, options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined) return message;
    const index = names.indexOf(d.file.fileName);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const where = index >= 0 ? `${all[index]!.file}:${all[index]!.line + line}` : d.file.fileName;
    return `${where}: ${message}`;
  });
  assert.deepEqual(problems, [], `${problems.length} problems in ${all.length} snippets`);
});
