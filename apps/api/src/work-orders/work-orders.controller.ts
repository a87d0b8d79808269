import { Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, UpdateWorkOrderRequest } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams } from '../common/zod';
import { WorkOrdersService } from './work-orders.service';

/** ZodParams hides the path parameter from Swagger's reflection; declare it. */
const ApiId = () => ApiParam({ name: 'id', type: String, format: 'uuid' });

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller()
export class WorkOrdersController {
  constructor(private readonly workOrders: WorkOrdersService) {}

  @Get('work-orders/:id')
  @ApiId()
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.workOrders.view(user, id);
  }

  @Get('protocols/:id/work-order')
  @ApiId()
  viewByProtocol(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.workOrders.viewByProtocol(user, id);
  }

  @Patch('work-orders/:id')
  @ApiId()
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(UpdateWorkOrderRequest)
  update(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateWorkOrderRequest) dto: UpdateWorkOrderRequest) {
    return this.workOrders.update(user, id, dto);
  }
}
