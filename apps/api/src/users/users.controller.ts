import { Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, UpdateUserRequest, values } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { UsersQuery, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiQuery({ name: 'role', required: false, enum: values(Role) })
  @ApiQuery({ name: 'clinicId', required: false, type: String, format: 'uuid' })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  list(@ZodQuery(UsersQuery) query: UsersQuery) {
    return this.users.list(query);
  }

  @Patch(':id')
  @ApiZodBody(UpdateUserRequest)
  update(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateUserRequest) dto: UpdateUserRequest) {
    return this.users.update(actor, id, dto);
  }
}
