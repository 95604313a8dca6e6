// The README's API example, compiled and run by test/readme-example.test.ts so it cannot rot.
import { ContextKey, context } from '../engine/index.js';

const USER = new ContextKey<string>('user');

export async function readmeExample(): Promise<string | undefined> {
  return context.run({ requestId: 'req-1' }, async () => {
    context.set(USER, 'ada');
    await new Promise((resolve) => setTimeout(resolve, 1));
    return `${context.getRequestId()} ${context.get(USER)}`;
  });
}
