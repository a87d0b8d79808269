import { Module } from '@nestjs/common';

/** API role only: the socket.io gateway that browsers connect to. */
@Module({})
export class RealtimeGatewayModule {}
