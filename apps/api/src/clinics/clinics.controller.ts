import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClinicView, CreateClinicRequest, IdParams, Role, UpdateClinicRequest } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams } from '../common/zod';
import { ClinicsService } from './clinics.service';

@ApiTags('clinics')
@Controller('clinics')
export class ClinicsController {
  constructor(private readonly clinics: ClinicsService) {}

  @Get()
  @ApiOperation({ summary: 'Clinics by name (a vet: only their own)' })
  @ApiZodResponse(200, z.array(ClinicView))
  list(@CurrentUser() user: AuthUser) {
    return this.clinics.list(user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One clinic (a vet: only their own; another clinic is 404)' })
  @ApiZodResponse(200, ClinicView)
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.clinics.view(user, id);
  }

  @Post()
  @HttpCode(201)
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Add a clinic (a name another clinic has: 400, code `taken` on body.name)' })
  @ApiZodResponse(201, ClinicView)
  create(@CurrentUser() actor: AuthUser, @ZodBody(CreateClinicRequest) dto: CreateClinicRequest) {
    return this.clinics.create(actor, dto);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({ summary: "Edit a clinic; a new report language renders its work orders' PDFs anew" })
  @ApiZodResponse(200, ClinicView)
  update(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateClinicRequest) dto: UpdateClinicRequest) {
    return this.clinics.update(actor, id, dto);
  }
}
