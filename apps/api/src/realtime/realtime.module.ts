import { Global, Module } from '@nestjs/common';
import { RealtimeService } from './realtime.service';

/** The emitter side, available to both roles. The gateway (API role) lives in RealtimeGatewayModule. */
@Global()
@Module({ providers: [RealtimeService], exports: [RealtimeService] })
export class RealtimeModule {}
