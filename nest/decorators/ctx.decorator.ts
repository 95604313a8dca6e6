// @Ctx('user') reads one value of the request context; @Ctx() gives the RequestContextService
// (for handlers that read several values). Resolved when Nest calls the handler, which runs
// inside the request's context.

import { createParamDecorator } from '@nestjs/common';
import { RequestContextService } from '../request-context.service.js';

const service = new RequestContextService();

export const Ctx: (key?: string) => ParameterDecorator = createParamDecorator((key: string | undefined) =>
  key === undefined ? service : RequestContextService.get(key),
);
