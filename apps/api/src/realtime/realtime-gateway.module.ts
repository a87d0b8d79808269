import { Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';

/** API role only: the socket.io gateway that browsers connect to. */
@Module({ providers: [RealtimeGateway] })
export class RealtimeGatewayModule {}
