// The public surface is deliberate: every name a file of engine/ or nest/ exports is imported by
// another file (of engine/, nest/, bench/, examples/ or test/), or it is the package API, a name
// a package entry exports. An export nothing imports is either dead code or a name that should
// stay private to its file; the TypeScript parser reads the exports and imports, so comments,
// strings and type-only imports are read as what they are.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = new URL('../../scripts/import-graph.mjs', import.meta.url).href;
const { sourceFiles } = (await import(script)) as { sourceFiles(): string[] };

interface PackageJson {
  readonly exports: Readonly<Record<string, string | { readonly types?: string }>>;
}

/** The source files behind package.json "exports" (`./dist/nest/index.d.ts` -> `nest/index.ts`). */
function packageEntries(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    const types = target.types;
    if (types === undefined) continue;
    const file = types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
    entries.set(subpath === '.' ? 'nestjs-trace-context' : `nestjs-trace-context${subpath.slice(1)}`, file);
  }
  return entries;
}

const entries = packageEntries();
const entryFiles = new Set(entries.values());

/** The repository path a specifier in `from` names, or null for a package other than this one. */
function resolve(from: string, specifier: string): string | null {
  if (specifier.startsWith('.')) {
    return normalize(join(dirname(from), specifier.replace(/\?.*$/, ''))).split('\\').join('/').replace(/\.js$/, '.ts');
  }
  return entries.get(specifier) ?? null;
}

const ALL = '*';

interface FileFacts {
  /** Names this file exports (declared here or re-exported from another file). */
  readonly exported: string[];
  /** For each file this one imports from: the names it takes (ALL for a namespace or dynamic import). */
  readonly uses: Map<string, Set<string>>;
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function read(file: string): FileFacts {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const exported: string[] = [];
  const uses = new Map<string, Set<string>>();
  const use = (specifier: string, name: string): void => {
    const to = resolve(file, specifier);
    if (to === null) return;
    let names = uses.get(to);
    if (names === undefined) uses.set(to, (names = new Set()));
    names.add(name);
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (statement.importClause?.name !== undefined) use(specifier, 'default');
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) use(specifier, ALL);
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) use(specifier, (element.propertyName ?? element.name).text);
      }
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : null;
      const clause = statement.exportClause;
      if (clause === undefined) {
        if (specifier !== null) use(specifier, ALL);
      } else if (ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          exported.push(element.name.text);
          if (specifier !== null) use(specifier, (element.propertyName ?? element.name).text);
        }
      }
    } else if (hasExportModifier(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) exported.push(declaration.name.text);
        }
      } else if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name !== undefined
      ) {
        exported.push(statement.name.text);
      }
    }
  }

  // import('…') anywhere: the names a `const { a, b } = await import('…')` takes, else all of them.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const argument = node.arguments[0];
      const specifier = argument !== undefined && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) ? argument.text : argument !== undefined && ts.isTemplateExpression(argument) ? argument.head.text : null;
      if (specifier !== null) {
        const awaited = ts.isAwaitExpression(node.parent) ? node.parent : null;
        const declaration = awaited !== null && ts.isVariableDeclaration(awaited.parent) ? awaited.parent : null;
        if (declaration !== null && ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            const name = element.propertyName ?? element.name;
            if (ts.isIdentifier(name)) use(specifier, name.text);
          }
        } else {
          use(specifier, ALL);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { exported, uses };
}

const files = sourceFiles();
const facts = new Map(files.map((file) => [file, read(file)] as const));

/** Names of `file` that another of `readers` takes. */
function usedNames(file: string, readers: readonly string[] = files): Set<string> {
  const names = new Set<string>();
  for (const other of readers) {
    if (other === file) continue;
    for (const name of facts.get(other)!.uses.get(file) ?? []) names.add(name);
  }
  return names;
}

/** `file: name` for each export of engine/ and nest/ (package entries aside) none of `readers` takes. */
function unusedExports(readers: readonly string[] = files): string[] {
  const unused: string[] = [];
  for (const file of files) {
    if (!(file.startsWith('engine/') || file.startsWith('nest/')) || entryFiles.has(file)) continue;
    const used = usedNames(file, readers);
    if (used.has(ALL)) continue;
    for (const name of facts.get(file)!.exported) {
      if (!used.has(name)) unused.push(`${file}: ${name}`);
    }
  }
  return unused;
}

test('the package entries are read from package.json', () => {
  assert.deepEqual([...entryFiles].sort(), ['engine/index.ts', 'nest/index.ts', 'nest/microservices/index.ts', 'nest/testing/index.ts']);
  assert.ok(facts.get('engine/index.ts')!.exported.includes('Tracer'));
});

test('every export of engine/ and nest/ has a user in another file, or is the package API', () => {
  assert.deepEqual(unusedExports(), []);
});

test('an export loses its last user: the check names it', () => {
  // Without the files that import engine/errors.ts, each of its exports is reported; a file
  // that takes one name clears that name only.
  const readers = files.filter((file) => !facts.get(file)!.uses.has('engine/errors.ts'));
  const reported = unusedExports(readers).filter((line) => line.startsWith('engine/errors.ts: '));
  assert.ok(reported.includes('engine/errors.ts: invalidOption'), reported.join(', '));
  assert.ok(reported.includes('engine/errors.ts: ErrorCodes'), reported.join(', '));
  const taker = files.find((file) => facts.get(file)!.uses.get('engine/errors.ts')?.has('invalidOption') === true && !facts.get(file)!.uses.get('engine/errors.ts')!.has('ErrorCodes'));
  assert.ok(taker !== undefined);
  const after = unusedExports([...readers, taker]);
  assert.ok(!after.includes('engine/errors.ts: invalidOption'));
  assert.ok(after.includes('engine/errors.ts: ErrorCodes'));
});
