// Finds the micro suites that exist in this build: every dist/bench/micro/*.bench.js, so a new
// engine area's bench file joins `npm run bench` and `bench:ci` without touching the runner.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MICRO_DIR = fileURLToPath(new URL('./', import.meta.url));

export function discoverMicroFiles(filter: readonly string[] = []): string[] {
  return readdirSync(MICRO_DIR)
    .filter((name) => name.endsWith('.bench.js'))
    .filter((name) => filter.length === 0 || filter.some((f) => name.includes(f)))
    .sort()
    .map((name) => MICRO_DIR + name);
}
