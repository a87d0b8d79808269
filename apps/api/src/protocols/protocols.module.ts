import { Module } from '@nestjs/common';
import { IntakeService } from './intake.service';
import { ProtocolTransitionsService } from './protocol-transitions.service';
import { ProtocolsController } from './protocols.controller';
import { ProtocolsService } from './protocols.service';

@Module({
  controllers: [ProtocolsController],
  providers: [ProtocolsService, IntakeService, ProtocolTransitionsService],
  exports: [ProtocolsService, ProtocolTransitionsService],
})
export class ProtocolsModule {}
