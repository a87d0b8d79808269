import { Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, pageOf, Role, UpdateUserRequest, UserView } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { UsersQuery, UsersService } from './users.service';

@ApiTags('users')
@Roles(Role.Admin)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users, filtered by role and clinic' })
  @ApiZodResponse(200, pageOf(UserView))
  list(@ZodQuery(UsersQuery) query: UsersQuery) {
    return this.users.list(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Activate or deactivate a user, make them a signer, rename them' })
  @ApiZodResponse(200, UserView)
  update(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateUserRequest) dto: UpdateUserRequest) {
    return this.users.update(actor, id, dto);
  }
}
