// Runs a process on the 3.x OpenTelemetry SDK: `node --import ./scripts/otel-sdk-v3.mjs app.js`.
// The root devDependencies hold the 2.x SDK (api 1.9); otel-sdks/v3 holds 3.x with its own api
// 1.10, as an application on SDK 3 has it. This hook resolves, for the whole process:
//  - `@opentelemetry/api` from the 3.x tree, whoever imports or requires it (one api per
//    process, as npm installs it for an app: it is every OpenTelemetry package's peer);
//  - any other `@opentelemetry/*` and `@fastify/otel` from the 3.x tree when the importer is
//    application code (this repository's dist/, not a package under node_modules), so a package
//    keeps the dependencies it declared (@fastify/otel 0.21 still brings core 2 and
//    instrumentation 0.222, which is what a user on SDK 3 gets today).
// sdk-trace-base and sdk-trace-node have no 3.x release: application code importing them here
// fails loudly instead of quietly loading the 2.x copy (test/nest/otel/sdk.ts imports by major).
// module.registerHooks (synchronous, covers require() too) is in Node 22.15+, the 3.x SDK's own floor.
import * as mod from 'node:module';
import { pathToFileURL } from 'node:url';

if (typeof mod.registerHooks !== 'function') {
  throw new Error(`OpenTelemetry SDK 3.x needs Node >= 22.15 (module.registerHooks); this is Node ${process.versions.node}`);
}

const TREE = new URL('../otel-sdks/v3/package.json', import.meta.url).href;
// require() resolves from the requiring module's paths whatever parentURL says, so it is
// resolved here from the tree's own require.
const requireFromTree = mod.createRequire(TREE);

const TREE_DIR = new URL('./', TREE).href;

function fromTree(specifier, parentURL) {
  if (parentURL?.startsWith(TREE_DIR)) return false;
  if (specifier === '@opentelemetry/api' || specifier.startsWith('@opentelemetry/api/')) return true;
  if (parentURL === undefined || parentURL.includes('/node_modules/')) return false;
  return specifier.startsWith('@opentelemetry/') || specifier === '@fastify/otel' || specifier.startsWith('@fastify/otel/');
}

const TWO_X_ONLY = new Set(['@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace-node']);

mod.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!fromTree(specifier, context.parentURL)) return nextResolve(specifier, context);
    if (TWO_X_ONLY.has(specifier)) {
      throw new Error(`${specifier} has no 3.x release: on OpenTelemetry SDK 3 import @opentelemetry/sdk-trace (imported by ${context.parentURL})`);
    }
    if (context.conditions?.includes('require')) return { url: pathToFileURL(requireFromTree.resolve(specifier)).href, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, { ...context, parentURL: TREE });
  },
});

// Read by test/nest/otel/sdk.ts (and available to benchmarks) to pick the 3.x package names.
process.env.OTEL_SDK_MAJOR = '3';
