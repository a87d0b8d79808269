import { Global, Module } from '@nestjs/common';
import { PDF_RENDERER } from './pdf-renderer';
import { RenderPoolService } from './render-pool.service';

/**
 * The PDF render pool (PDF_RENDERER). Import it only where renders happen (the worker role): its
 * threads start and warm up when the module initialises.
 */
@Global()
@Module({
  providers: [RenderPoolService, { provide: PDF_RENDERER, useExisting: RenderPoolService }],
  exports: [PDF_RENDERER],
})
export class PdfModule {}
