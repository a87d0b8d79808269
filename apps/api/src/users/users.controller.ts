import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateUserRequest, ErrorBody, IdParams, pageOf, PasswordLinkView, Role, UpdateUserRequest, UserView } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { PasswordsService } from '../passwords/passwords.service';
import { CreateUser, UsersQuery, UsersService } from './users.service';

@ApiTags('users')
@Roles(Role.Admin)
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'People, filtered by role, clinic, activity and a search on name or e-mail' })
  @ApiZodResponse(200, pageOf(UserView))
  list(@ZodQuery(UsersQuery) query: UsersQuery) {
    return this.users.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a person; they are mailed a one-time link to set their password' })
  @ApiZodResponse(201, UserView)
  @ApiZodResponse(400, ErrorBody, 'invalid body; an e-mail already taken is `taken` on body.email, an unknown clinic `unknown_reference`')
  create(@CurrentUser() actor: AuthUser, @ZodBody(CreateUserRequest) dto: CreateUser) {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One person' })
  @ApiZodResponse(200, UserView)
  get(@ZodParams(IdParams) { id }: IdParams) {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Rename a person, make staff a signer, move a vet to another clinic, (de)activate (deactivation ends their sessions)" })
  @ApiZodResponse(200, UserView)
  update(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateUserRequest) dto: UpdateUserRequest) {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/password-link')
  @HttpCode(202)
  @ApiOperation({ summary: "Mail the person a new one-time link to set their password (their earlier unused links stop working)" })
  @ApiZodResponse(202, PasswordLinkView)
  sendPasswordLink(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.passwords.sendLink(actor, id);
  }
}
