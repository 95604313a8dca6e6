// The stamp every report carries: what ran, where, on what, when.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release, platform, availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Environment {
  readonly date: string;
  readonly commit: string;
  /** True when the work tree had uncommitted changes: the figures are not of `commit` alone. */
  readonly dirty: boolean;
  readonly node: string;
  readonly v8: string;
  /** Node (version, V8, flags) the HTTP scenario servers ran on, when not the runner's own. */
  readonly serverNode: string | null;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly loadAverage: string;
  readonly versions: Readonly<Record<string, string>>;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

// Read from node_modules directly: some packages (tinybench) do not export ./package.json.
const NODE_MODULES = new URL('../../../node_modules/', import.meta.url);

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`${name}/package.json`, NODE_MODULES), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

const PACKAGES = [
  'fastify',
  '@nestjs/core',
  '@nestjs/platform-fastify',
  'nestjs-cls',
  '@opentelemetry/sdk-node',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/instrumentation-http',
  '@fastify/otel',
  '@opentelemetry/exporter-trace-otlp-proto',
  'dd-trace',
  'autocannon',
  'tinybench',
];

/** 1, 5 and 15 minute load averages: figures from a machine busy with other work are noisy. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

/** `v24.1.0 / V8 13.6 --no-async-context-frame` for BENCH_NODE / BENCH_NODE_FLAGS, or null when unset. */
function serverNode(): string | null {
  const binary = process.env.BENCH_NODE || process.execPath;
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').trim();
  if (!process.env.BENCH_NODE && flags === '') return null;
  let version = 'unknown';
  try {
    version = execFileSync(binary, ['-p', "process.version + ' / V8 ' + process.versions.v8"], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown; the servers' own start will fail with the reason
  }
  return `${version}${flags === '' ? '' : ` ${flags}`} (${binary})`;
}

export function captureEnvironment(): Environment {
  return {
    serverNode: serverNode(),
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short=12', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1073741824) * 10) / 10,
    loadAverage: loadAverage(),
    versions: Object.fromEntries(PACKAGES.map((p) => [p, versionOf(p)])),
  };
}
