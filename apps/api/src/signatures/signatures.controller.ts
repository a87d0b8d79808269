import { Controller, Get, Put, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, SignatureImageBody, UserView } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams } from '../common/zod';
import { IMAGE_BODY_TYPES } from './signature-body';
import { SignaturesService } from './signatures.service';

@ApiTags('users')
@Controller('users')
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  @Put(':id/signature')
  @Roles(Role.Admin)
  @ApiOperation({ summary: "Replace a signer's signature image (PNG or JPEG, at most 500 KB; stored as a PNG fitted to 600×200)" })
  @ApiConsumes(...IMAGE_BODY_TYPES)
  @ApiZodResponse(200, UserView)
  upload(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(SignatureImageBody) body: Buffer) {
    // The image parser (signature-body.ts) made the raw body a Buffer; JSON or a form fail the schema.
    return this.signatures.upload(actor, id, body);
  }

  @Get(':id/signature')
  @Roles(Role.Admin, Role.Staff)
  @ApiOperation({ summary: 'A signer’s stored signature image (admins; a staff member their own)' })
  @ApiZodResponse(200, 'image/png')
  async image(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const { png, etag } = await this.signatures.image(actor, id);
    reply.header('Content-Type', 'image/png').header('Cache-Control', 'private, no-cache').header('ETag', etag);
    return png;
  }
}
