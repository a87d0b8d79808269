import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClinicView } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ApiZodResponse } from '../common/zod';
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
}
