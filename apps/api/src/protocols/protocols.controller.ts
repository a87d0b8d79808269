import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateProtocolRequest, IdParams, pageOf, ProtocolAction, ProtocolDetail, ProtocolListQuery, ProtocolSummary, RejectRequest, Role, TransitionRequest } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { CreateProtocolDto, IntakeService } from './intake.service';
import { ProtocolsService } from './protocols.service';

/** A transition without a body is the common case: no version check. */
const OptionalTransition = TransitionRequest.default({});
type TransitionBody = z.output<typeof TransitionRequest>;

@ApiTags('protocols')
@Controller('protocols')
export class ProtocolsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly protocols: ProtocolsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Submit a protocol: animal, owner, samples and panels (creates its work order and report)' })
  @ApiZodResponse(201, ProtocolDetail)
  create(@CurrentUser() user: AuthUser, @ZodBody(CreateProtocolRequest) dto: CreateProtocolDto) {
    return this.intake.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Protocols this user may see, filtered, sorted and paged' })
  @ApiZodResponse(200, pageOf(ProtocolSummary))
  list(@CurrentUser() user: AuthUser, @ZodQuery(ProtocolListQuery) query: ProtocolListQuery) {
    return this.protocols.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One protocol with the actions this user may take on it' })
  @ApiZodResponse(200, ProtocolDetail)
  detail(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.protocols.detail(user, id);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Mark the samples received (submitted → received)' })
  @ApiZodResponse(200, ProtocolDetail)
  receive(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(OptionalTransition) body: TransitionBody) {
    return this.protocols.transition(user, id, ProtocolAction.Receive, body);
  }

  @Post(':id/start-analysis')
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Start the analysis (received → in_analysis)' })
  @ApiZodResponse(200, ProtocolDetail)
  startAnalysis(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(OptionalTransition) body: TransitionBody) {
    return this.protocols.transition(user, id, ProtocolAction.StartAnalysis, body);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Reject the protocol, with a reason' })
  @ApiZodResponse(200, ProtocolDetail)
  reject(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(RejectRequest) body: RejectRequest) {
    return this.protocols.transition(user, id, ProtocolAction.Reject, body);
  }
}
