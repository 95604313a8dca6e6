// @RequestId(): the request's id (validated inbound header, or a generated one).

import { createParamDecorator } from '@nestjs/common';
import { RequestContextService } from '../request-context.service.js';

export const RequestId: () => ParameterDecorator = createParamDecorator(() => RequestContextService.getRequestId());
