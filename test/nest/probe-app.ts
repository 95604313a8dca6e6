// A Nest app whose every layer (guard, interceptor, pipe, handler, filter, timers, streams)
// reports the request id it sees, so tests can check that one request's context reaches all of
// them. Used by the request-path tests of this folder.

import { Readable } from 'node:stream';
import {
  Body,
  Catch,
  Controller,
  Get,
  Head,
  HttpException,
  Injectable,
  Module,
  Param,
  Post,
  Query,
  Req,
  StreamableFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { Ctx, RequestContextModule, RequestContextService, RequestId, type RequestContextModuleOptions } from '../../nest/index.js';
import { delay } from './helpers.js';

function reply(ctx: ExecutionContext | ArgumentsHost): FastifyReply {
  return ctx.switchToHttp().getResponse<FastifyReply>();
}

@Injectable()
class ProbeGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    reply(ctx).header('x-seen-guard', RequestContextService.getRequestId() ?? 'none');
    RequestContextService.set('guard', RequestContextService.getRequestId());
    return true;
  }
}

@Injectable()
class ProbeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    reply(ctx).header('x-seen-interceptor', RequestContextService.getRequestId() ?? 'none');
    return next.handle();
  }
}

/** Replaces the value with the request id the pipe sees. */
@Injectable()
class ProbePipe implements PipeTransform {
  transform(): string {
    return RequestContextService.getRequestId() ?? 'none';
  }
}

@Catch()
class ProbeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    reply(host)
      .status(status)
      .header('x-seen-filter', RequestContextService.getRequestId() ?? 'none')
      .send({ filter: RequestContextService.getRequestId() ?? 'none', status });
  }
}

function inTimer(): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(RequestContextService.getRequestId() ?? 'none'), 1));
}

@Controller('probe')
@UseGuards(ProbeGuard)
@UseInterceptors(ProbeInterceptor)
@UseFilters(ProbeFilter)
export class ProbeController {
  constructor(private readonly ctx: RequestContextService) {}

  private async seen(pipe: string): Promise<Record<string, string>> {
    const handler = this.ctx.getRequestId() ?? 'none';
    await delay(1);
    const afterAwait = RequestContextService.getRequestId() ?? 'none';
    const timer = await inTimer();
    return { handler, afterAwait, timer, pipe, guard: String(this.ctx.get('guard')) };
  }

  @Get()
  get(@Query('p', ProbePipe) pipe: string, @RequestId() id: string): Promise<Record<string, string>> {
    return this.seen(pipe).then((s) => ({ ...s, decorator: id }));
  }

  @Get('echo/:tag')
  async echo(@Param('tag') tag: string, @Query('delay') wait: string): Promise<{ tag: string; id: string | undefined }> {
    await delay(Number(wait) || 0);
    await Promise.resolve();
    return { tag, id: RequestContextService.getRequestId() };
  }

  @Post('json')
  async json(@Body() body: { n: number }, @Query('p', ProbePipe) pipe: string): Promise<Record<string, unknown>> {
    return { ...(await this.seen(pipe)), n: body.n };
  }

  @Post('form')
  async form(@Body() body: Record<string, string>, @Query('p', ProbePipe) pipe: string): Promise<Record<string, unknown>> {
    return { ...(await this.seen(pipe)), name: body['name'] };
  }

  @Post('upload')
  async upload(@Req() req: FastifyRequest, @Query('p', ProbePipe) pipe: string): Promise<Record<string, unknown>> {
    const file = await (req as unknown as { file(): Promise<{ filename: string; toBuffer(): Promise<Buffer> } | undefined> }).file();
    const bytes = file === undefined ? 0 : (await file.toBuffer()).length;
    return { ...(await this.seen(pipe)), filename: file?.filename, bytes };
  }

  @Get('stream')
  stream(): StreamableFile {
    let n = 0;
    const readable = new Readable({
      read() {
        setTimeout(() => {
          this.push(n++ < 3 ? `${RequestContextService.getRequestId() ?? 'none'}\n` : null);
        }, 1);
      },
    });
    return new StreamableFile(readable);
  }

  @Get('http-error')
  httpError(): never {
    throw new HttpException('teapot', 418);
  }

  @Get('error')
  async error(): Promise<never> {
    await delay(1);
    throw new Error('boom');
  }

  @Get('ctx')
  ctxDecorator(@Ctx('guard') guard: string, @Ctx() ctx: RequestContextService): Record<string, unknown> {
    return { guard, same: ctx.getRequestId() === guard };
  }

  @Post('slow')
  async slow(): Promise<string> {
    await delay(200);
    return 'late';
  }

  @Head('only-head')
  onlyHead(): string {
    return '';
  }
}

/** The probe app module with the given module options. */
export function probeModule(options: RequestContextModuleOptions = {}, extraControllers: Function[] = []): DynamicModule {
  @Module({})
  class ProbeAppModule {}
  return {
    module: ProbeAppModule,
    imports: [RequestContextModule.forRoot(options)],
    controllers: [ProbeController, ...(extraControllers as never[])],
  };
}
