// POST /test: the service contract of the W3C trace-context test harness (the test/ folder of
// w3c/trace-context): for each {url, arguments} of the body, in order, POST url with
// JSON.stringify(arguments) through the ordinary outbound path (fetch: one client span and a
// new parent-id per call), then answer 200 with a JSON body.
//
// The route makes outbound calls on a caller's behalf, so it is registered only when
// DEMO_W3C_TEST=1 (demo-module.ts) and holds only what the harness needs (relay-policy.ts):
// loopback targets (or DEMO_W3C_TEST_ALLOW_HOSTS), at most RELAY_MAX_CALLS calls, one short
// deadline for all of them, no redirects, and reply bodies read no further than a small cap.

import { BadRequestException, Body, Controller, GatewayTimeoutException, HttpCode, Inject, Post } from '@nestjs/common';
import { DEMO_CONFIG, type DemoConfig } from './demo-config.js';
import { RELAY_DEADLINE_MS, RELAY_MAX_CALLS, discardReply, relayTarget } from './relay-policy.js';

interface HarnessCall {
  readonly url: URL;
  readonly arguments: unknown;
}

@Controller()
export class PropagationTestController {
  constructor(@Inject(DEMO_CONFIG) private readonly config: DemoConfig) {}

  private parse(body: unknown): HarnessCall[] {
    if (!Array.isArray(body) || body.length > RELAY_MAX_CALLS) {
      throw new BadRequestException(`expected a JSON array of at most ${RELAY_MAX_CALLS} {"url": "http://127.0.0.1:…", "arguments": […]}`);
    }
    return body.map((call: unknown, i) => {
      const url = typeof call === 'object' && call !== null ? relayTarget((call as { url?: unknown }).url, this.config.w3cTestAllowHosts) : null;
      if (url === null) {
        throw new BadRequestException(`entry ${i}: "url" must be an http(s) URL on a loopback address (or a host in DEMO_W3C_TEST_ALLOW_HOSTS)`);
      }
      return { url, arguments: (call as { arguments?: unknown }).arguments };
    });
  }

  @Post('test')
  @HttpCode(200)
  async run(@Body() body: unknown): Promise<{ calls: number }> {
    // Every entry is checked before the first call: a bad entry makes no call at all.
    const calls = this.parse(body);
    const signal = AbortSignal.timeout(RELAY_DEADLINE_MS);
    for (const call of calls) {
      try {
        const reply = await fetch(call.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(call.arguments ?? []),
          redirect: 'manual',
          signal,
        });
        await discardReply(reply);
      } catch (error) {
        if (signal.aborted) throw new GatewayTimeoutException(`the calls took over ${RELAY_DEADLINE_MS} ms`);
        throw error;
      }
    }
    return { calls: calls.length };
  }
}
