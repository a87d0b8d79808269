import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogueView } from '@vetlab/shared';
import { ApiZodResponse } from '../common/zod';
import { CatalogueService } from './catalogue.service';

@ApiTags('catalogue')
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: 'Analytes with their reference ranges, and panels' })
  @ApiZodResponse(200, CatalogueView)
  view() {
    return this.catalogue.view();
  }
}
