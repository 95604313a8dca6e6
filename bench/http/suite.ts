// The HTTP suite: starts the sink and one server per scenario, checks each answers correctly,
// then runs interleaved rounds B X1 B X2 … B Xn B (B = the `nest` baseline) so machine drift
// hits the baseline and the scenario alike; each scenario's figures are taken against the mean
// of the two baseline runs around it. The scenario order is reversed every other round so no
// scenario always follows the same neighbour.
//
// CPU per request is the server's own process.cpuUsage() delta over the measured window (read
// over IPC) divided by the requests completed in it. Spans per request are counted at the end,
// after every server has flushed on close: spans received / requests sent (warm-ups included).
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadResult, type LoadSettings } from './load.js';
import { PinnedProcess } from './pinned-process.js';
import { BASELINE, type Scenario } from './scenarios.js';
import type { ServerStats } from './servers/ipc.js';
import type { SinkCounts } from './sink.js';
import { nextTraceparent } from './traceparent-source.js';

export interface HttpSettings {
  readonly rounds: number;
  /** Measured window per run (seconds). */
  readonly durationS: number;
  /**
   * When set, durationS is fitted so all first-pass rounds take about this many seconds
   * whatever the number of scenarios (see fitDuration); null: durationS as given.
   */
  readonly roundsBudgetS: number | null;
  readonly warmupS: number;
  /** Extra warm-up each server gets once, before the first round (JIT, pools, sockets). */
  readonly initialWarmupS: number;
  readonly connections: number;
  /** CPU of the servers and of the load generator + sink (null: no pinning). */
  readonly serverCpu: number | null;
  readonly loadCpu: number | null;
  /** Node binary the scenario servers run on (BENCH_NODE); null: the runner's own. */
  readonly serverNode: string | null;
  /** Node flags for every scenario server (BENCH_NODE_FLAGS), e.g. --no-async-context-frame. */
  readonly serverNodeFlags: readonly string[];
}

export interface Measurement {
  readonly scenario: string;
  readonly round: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuUsPerRequest: number;
  readonly rssMiB: number;
  readonly requests: number;
  /** Mean of the baseline runs just before and after this one (for the baseline: itself). */
  readonly baselineRps: number;
  readonly baselineCpuUs: number;
  readonly baselineP50Ms: number;
  readonly baselineP99Ms: number;
  readonly baselineRssMiB: number;
}

type Run = { load: LoadResult; cpuUs: number; rssMiB: number };

export interface ScenarioState {
  readonly scenario: Scenario;
  status: 'ok' | 'skipped' | 'failed';
  reason: string;
  process: PinnedProcess | null;
  port: number;
  measurements: Measurement[];
  /** Every request sent to this server, warm-ups and checks included (the spans/request denominator). */
  requestsSent: number;
  spans: number;
  badExports: number;
  /** Errors, timeouts and non-2xx answers under load. */
  errors: number;
}

/**
 * The measured window that makes `rounds` rounds of B X1 B … Xn B (2n+1 runs each, plus each
 * run's warm-up and ~0.3 s of IPC and autocannon start) fit the settings' roundsBudgetS:
 * between 2 and 5 s, in half seconds. Adding a scenario shortens the windows instead of
 * pushing the full run past its time budget.
 */
export function fitDuration(settings: HttpSettings, scenarioCount: number): HttpSettings {
  if (settings.roundsBudgetS === null) return settings;
  const runs = settings.rounds * (2 * Math.max(scenarioCount - 1, 0) + 1);
  const perRun = settings.roundsBudgetS / Math.max(runs, 1) - settings.warmupS - 0.3;
  const durationS = Math.min(5, Math.max(2, Math.floor(perRun * 2) / 2));
  return { ...settings, durationS };
}

const SERVERS_DIR = fileURLToPath(new URL('./servers/', import.meta.url));
const SINK_SCRIPT = fileURLToPath(new URL('./sink.js', import.meta.url));

export class HttpSuite {
  readonly states = new Map<string, ScenarioState>();
  /** Problems that fail the run (errors under load, wrong answers, broken exports). */
  readonly errors: string[] = [];
  #sink: PinnedProcess | null = null;
  #sinkPort = 0;
  #round = 0;

  constructor(
    readonly scenarios: readonly Scenario[],
    readonly settings: HttpSettings,
    readonly log: (line: string) => void,
  ) {
    for (const scenario of scenarios) {
      this.states.set(scenario.name, {
        scenario,
        status: 'ok',
        reason: '',
        process: null,
        port: 0,
        measurements: [],
        requestsSent: 0,
        spans: 0,
        badExports: 0,
        errors: 0,
      });
    }
    if (!this.states.has(BASELINE)) throw new Error(`the HTTP suite needs the baseline scenario '${BASELINE}'`);
  }

  async start(): Promise<void> {
    this.#sink = new PinnedProcess({ script: SINK_SCRIPT, cpu: this.settings.loadCpu });
    this.#sinkPort = (await this.#sink.waitFor<{ type: 'ready'; port: number }>('ready', 10_000)).port;
    for (const state of this.states.values()) await this.#startServer(state);
    const baseline = this.states.get(BASELINE)!;
    if (baseline.status !== 'ok') throw new Error(`baseline '${BASELINE}' did not start: ${baseline.reason}`);
    for (const state of this.#running()) {
      await this.#load(state, this.settings.initialWarmupS);
    }
  }

  async #startServer(state: ScenarioState): Promise<void> {
    const { scenario } = state;
    const child = new PinnedProcess({
      script: SERVERS_DIR + scenario.script,
      cpu: this.settings.serverCpu,
      execArgv: [...this.settings.serverNodeFlags, ...scenario.execArgv],
      ...(this.settings.serverNode === null ? {} : { execPath: this.settings.serverNode }),
      env: {
        ...scenario.env,
        ...(scenario.agentUrlEnv === null ? {} : { [scenario.agentUrlEnv]: `http://127.0.0.1:${this.#sinkPort}` }),
        BENCH_SINK_URL: `http://127.0.0.1:${this.#sinkPort}/${scenario.name}/v1/traces`,
        NODE_ENV: 'production',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    });
    try {
      state.port = (await child.waitFor<{ type: 'ready'; port: number }>('ready', 60_000)).port;
      state.process = child;
    } catch (error) {
      // A scenario that cannot start fails the run: it used to be skipped, and a gate whose
      // budgets were all skipped passed.
      state.status = 'failed';
      state.reason = `did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.errors.push(`${scenario.name}: ${state.reason}`);
      this.log(`  ${scenario.name}: FAILED: ${state.reason}`);
      await child.stop(2_000);
      return;
    }
    const problem = await this.#checkAnswers(state);
    if (problem !== null) {
      state.status = 'failed';
      state.reason = problem;
      this.errors.push(`${scenario.name}: ${problem}`);
      this.log(`  ${scenario.name}: FAILED the answer check: ${problem}`);
    } else this.log(`  ${scenario.name}: ready on port ${state.port}`);
  }

  /** Three requests with known traceparents: 200, the right JSON, and the caller's trace id where the scenario reads one. */
  async #checkAnswers(state: ScenarioState): Promise<string | null> {
    for (let i = 0; i < 3; i++) {
      const traceparent = nextTraceparent();
      state.requestsSent++;
      let response: Response;
      try {
        response = await fetch(`http://127.0.0.1:${state.port}/orders/${i + 7}`, { headers: { traceparent } });
      } catch (error) {
        return `request failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (response.status !== 200) return `status ${response.status} for GET /orders/${i + 7}`;
      const body = (await response.json()) as { id?: unknown; traceId?: unknown };
      if (body.id !== String(i + 7)) return `answered ${JSON.stringify(body)}, expected id "${i + 7}"`;
      const expected = traceparent.slice(3, 35);
      if (state.scenario.readsTraceId && body.traceId !== expected) {
        return `route read trace id ${JSON.stringify(body.traceId)} from context, the request's traceparent carries ${expected}`;
      }
    }
    return null;
  }

  #running(): ScenarioState[] {
    return [...this.states.values()].filter((s) => s.status === 'ok');
  }

  async #load(state: ScenarioState, durationS: number): Promise<LoadResult> {
    const settings: LoadSettings = { connections: this.settings.connections, durationS };
    const result = await runLoad(state.port, settings);
    state.requestsSent += result.sent;
    state.errors += result.errors + result.timeouts + result.non2xx;
    if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
      const message = `${state.scenario.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx under load`;
      this.errors.push(message);
      this.log(`  ${message}`);
    }
    return result;
  }

  async #stats(state: ScenarioState): Promise<ServerStats> {
    return state.process!.ask<ServerStats>({ type: 'stats' }, 'stats', 10_000);
  }

  /** One warm-up + measured window; the CPU window is exactly the measured load. */
  async #measure(state: ScenarioState): Promise<Run> {
    await this.#load(state, this.settings.warmupS);
    const before = await this.#stats(state);
    const load = await this.#load(state, this.settings.durationS);
    const after = await this.#stats(state);
    const cpu = after.userUs + after.systemUs - (before.userUs + before.systemUs);
    return { load, cpuUs: load.requests > 0 ? cpu / load.requests : Number.NaN, rssMiB: after.rssBytes / 1048576 };
  }

  /** Runs `rounds` interleaved rounds over `names` (every running scenario when omitted). */
  async runRounds(rounds: number, names?: readonly string[]): Promise<void> {
    const others = this.#running().filter((s) => s.scenario.name !== BASELINE && (names === undefined || names.includes(s.scenario.name)));
    const baseline = this.states.get(BASELINE)!;
    for (let r = 0; r < rounds; r++) {
      const round = this.#round++;
      const order = round % 2 === 0 ? others : [...others].reverse();
      const started = Date.now();
      let previous = await this.#measure(baseline);
      const baselineRuns = [previous];
      for (const state of order) {
        if (state.status !== 'ok') continue;
        let x: Run;
        try {
          x = await this.#measure(state);
        } catch (error) {
          // The server crashed or stopped answering its runner: that scenario fails, the others
          // go on being measured.
          state.status = 'failed';
          state.reason = `crashed under load: ${error instanceof Error ? error.message : String(error)}`;
          this.errors.push(`${state.scenario.name}: ${state.reason}`);
          this.log(`  ${state.scenario.name}: FAILED: ${state.reason}`);
          continue;
        }
        const next = await this.#measure(baseline);
        baselineRuns.push(next);
        this.#record(state, round, x, [previous, next]);
        previous = next;
      }
      for (const b of baselineRuns) this.#record(baseline, round, b, [b]);
      this.log(`  round ${round + 1}: ${order.length} scenarios, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }

  #record(state: ScenarioState, round: number, m: Run, around: readonly Run[]): void {
    const mean = (f: (r: Run) => number): number => around.reduce((sum, r) => sum + f(r), 0) / around.length;
    state.measurements.push({
      scenario: state.scenario.name,
      round,
      rps: m.load.rps,
      p50Ms: m.load.p50Ms,
      p99Ms: m.load.p99Ms,
      cpuUsPerRequest: m.cpuUs,
      rssMiB: m.rssMiB,
      requests: m.load.requests,
      baselineRps: mean((r) => r.load.rps),
      baselineCpuUs: mean((r) => r.cpuUs),
      baselineP50Ms: mean((r) => r.load.p50Ms),
      baselineP99Ms: mean((r) => r.load.p99Ms),
      baselineRssMiB: mean((r) => r.rssMiB),
    });
  }

  async #sinkCounts(): Promise<SinkCounts> {
    return this.#sink!.ask<SinkCounts>({ type: 'counts' }, 'counts', 10_000);
  }

  /** Closes every server (each flushes its exporter), then reads the spans each one delivered. */
  async closeServers(): Promise<void> {
    for (const state of this.states.values()) await this.#close(state);
    const counts = await this.#sinkCounts();
    for (const state of this.states.values()) {
      state.spans = counts.spans[state.scenario.name] ?? 0;
      state.badExports = counts.bad[state.scenario.name] ?? 0;
      if (state.badExports > 0) this.errors.push(`${state.scenario.name}: ${state.badExports} export bodies the sink could not read`);
    }
  }

  async #close(state: ScenarioState): Promise<void> {
    if (state.process === null) return;
    const closed = state.process.waitFor('closed', 35_000).catch((error: unknown) => {
      if (state.status === 'ok') this.errors.push(`${state.scenario.name}: did not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
    });
    await state.process.stop(40_000);
    await closed;
    state.process = null;
  }

  /**
   * A fresh, independent sample of one scenario's sampling: a new server process under load
   * for `durationS`, closed (flushed), and the spans it delivered. The gate's re-run of the
   * sampled-fraction budget: a second look, not the first sample again.
   */
  async resample(name: string, durationS: number): Promise<{ requests: number; spans: number }> {
    const original = this.states.get(name);
    if (original === undefined) throw new Error(`no scenario ${name}`);
    const state: ScenarioState = { ...original, process: null, measurements: [], requestsSent: 0, spans: 0, badExports: 0, errors: 0 };
    const before = (await this.#sinkCounts()).spans[name] ?? 0;
    await this.#startServer(state);
    if (state.status !== 'ok') throw new Error(`${name} did not start again: ${state.reason}`);
    await this.#load(state, durationS);
    await this.#close(state);
    const after = (await this.#sinkCounts()).spans[name] ?? 0;
    return { requests: state.requestsSent, spans: after - before };
  }

  /** Stops every process this suite started (servers first, then the sink). */
  async shutdown(): Promise<void> {
    for (const state of this.states.values()) await this.#close(state);
    await this.#sink?.stop(5_000);
    this.#sink = null;
  }
}
