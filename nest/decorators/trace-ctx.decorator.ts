// @TraceCtx(): the active TraceContext (ids, flags, tracestate) of the request, or undefined
// when tracing is off.

import { createParamDecorator } from '@nestjs/common';
import { RequestContextService } from '../request-context.service.js';

export const TraceCtx: () => ParameterDecorator = createParamDecorator(() => RequestContextService.getTraceContext());
