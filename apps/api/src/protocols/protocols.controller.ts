import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateProtocolRequest, IdParams, ProtocolAction, ProtocolListQuery, ProtocolSortField, ProtocolStatus, RejectRequest, Role, Species, TransitionRequest, values } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { CreateProtocolDto, IntakeService } from './intake.service';
import { ProtocolsService } from './protocols.service';

/** ZodParams hides the path parameter from Swagger's reflection; declare it. */
const ApiId = () => ApiParam({ name: 'id', type: String, format: 'uuid' });

/** A transition without a body is the common case: no version check. */
const OptionalTransition = TransitionRequest.default({});
type TransitionBody = z.output<typeof TransitionRequest>;

@ApiTags('protocols')
@ApiBearerAuth()
@Controller('protocols')
export class ProtocolsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly protocols: ProtocolsService,
  ) {}

  @Post()
  @ApiZodBody(CreateProtocolRequest)
  create(@CurrentUser() user: AuthUser, @ZodBody(CreateProtocolRequest) dto: CreateProtocolDto) {
    return this.intake.create(user, dto);
  }

  @Get()
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiQuery({ name: 'status', required: false, type: String, description: `comma-separated: ${values(ProtocolStatus).join(', ')}` })
  @ApiQuery({ name: 'clinicId', required: false, type: String, format: 'uuid' })
  @ApiQuery({ name: 'species', required: false, enum: values(Species) })
  @ApiQuery({ name: 'from', required: false, type: String, description: 'ISO date or timestamp (createdAt >=)' })
  @ApiQuery({ name: 'to', required: false, type: String, description: 'ISO date (whole day) or timestamp (createdAt <=)' })
  @ApiQuery({ name: 'q', required: false, type: String, description: 'text in code, animal or owner' })
  @ApiQuery({ name: 'sort', required: false, type: String, description: `${ProtocolSortField.join(', ')}; prefix - for descending` })
  list(@CurrentUser() user: AuthUser, @ZodQuery(ProtocolListQuery) query: ProtocolListQuery) {
    return this.protocols.list(user, query);
  }

  @Get(':id')
  @ApiId()
  detail(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.protocols.detail(user, id);
  }

  @Post(':id/receive')
  @ApiId()
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(TransitionRequest)
  receive(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(OptionalTransition) body: TransitionBody) {
    return this.protocols.transition(user, id, ProtocolAction.Receive, body);
  }

  @Post(':id/start-analysis')
  @ApiId()
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(TransitionRequest)
  startAnalysis(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(OptionalTransition) body: TransitionBody) {
    return this.protocols.transition(user, id, ProtocolAction.StartAnalysis, body);
  }

  @Post(':id/reject')
  @ApiId()
  @HttpCode(200)
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(RejectRequest)
  reject(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(RejectRequest) body: RejectRequest) {
    return this.protocols.transition(user, id, ProtocolAction.Reject, body);
  }
}
