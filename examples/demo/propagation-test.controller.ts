// POST /test: the service contract of the W3C trace-context test harness (the test/ folder of
// w3c/trace-context): for each {url, arguments} of the body, in order, POST url with
// JSON.stringify(arguments) through the ordinary outbound path (fetch: one client span and a
// new parent-id per call), then answer 200 with a JSON body.

import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';

interface HarnessCall {
  readonly url: string;
  readonly arguments: unknown;
}

function isHarnessCall(value: unknown): value is HarnessCall {
  if (typeof value !== 'object' || value === null) return false;
  const url = (value as { url?: unknown }).url;
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

@Controller()
export class PropagationTestController {
  @Post('test')
  @HttpCode(200)
  async run(@Body() body: unknown): Promise<{ calls: number }> {
    if (!Array.isArray(body) || !body.every(isHarnessCall)) {
      throw new BadRequestException('expected a JSON array of {"url": "http://…", "arguments": […]}');
    }
    for (const call of body) {
      const reply = await fetch(call.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(call.arguments ?? []),
      });
      await reply.arrayBuffer();
    }
    return { calls: body.length };
  }
}
