import { Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, UpdateWorkOrderRequest, WorkOrderView } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams } from '../common/zod';
import { WorkOrdersService } from './work-orders.service';

@ApiTags('work-orders')
@Controller()
export class WorkOrdersController {
  constructor(private readonly workOrders: WorkOrdersService) {}

  @Get('work-orders/:id')
  @ApiOperation({ summary: 'A work order: sections, sample requirements and analytes for the bench' })
  @ApiZodResponse(200, WorkOrderView)
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.workOrders.view(user, id);
  }

  @Get('protocols/:id/work-order')
  @ApiOperation({ summary: "A protocol's work order" })
  @ApiZodResponse(200, WorkOrderView)
  viewByProtocol(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.workOrders.viewByProtocol(user, id);
  }

  @Patch('work-orders/:id')
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Edit priority, instructions or sample requirements (contentVersion: the optimistic lock)' })
  @ApiZodResponse(200, WorkOrderView)
  update(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateWorkOrderRequest) dto: UpdateWorkOrderRequest) {
    return this.workOrders.update(user, id, dto);
  }
}
