import { Body, Controller, Get, Put, Res, UnsupportedMediaTypeException, PipeTransform, Injectable } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, UserView } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodParams } from '../common/zod';
import { IMAGE_BODY_TYPES } from './signature-body';
import { SignaturesService } from './signatures.service';

/** The raw body must have come through the image parser: anything else (JSON, a form) is the wrong kind of body. */
@Injectable()
export class ImageBodyPipe implements PipeTransform {
  transform(value: unknown): Buffer {
    if (Buffer.isBuffer(value) && value.length) return value;
    throw new UnsupportedMediaTypeException(`body: send the image itself as the body, with Content-Type ${IMAGE_BODY_TYPES.join(', ')}`);
  }
}

@ApiTags('users')
@Controller('users')
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  @Put(':id/signature')
  @Roles(Role.Admin)
  @ApiOperation({ summary: "Replace a signer's signature image (PNG or JPEG, at most 500 KB; stored as a PNG fitted to 600×200)" })
  @ApiConsumes(...IMAGE_BODY_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodResponse(200, UserView)
  upload(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Body(ImageBodyPipe) body: Buffer) {
    return this.signatures.upload(actor, id, body);
  }

  @Get(':id/signature')
  @Roles(Role.Admin, Role.Staff)
  @ApiOperation({ summary: 'A signer’s stored signature image (admins; a staff member their own)' })
  @ApiProduces('image/png')
  async image(@CurrentUser() actor: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const { png, etag } = await this.signatures.image(actor, id);
    reply.header('Content-Type', 'image/png').header('Cache-Control', 'private, no-cache').header('ETag', etag);
    return png;
  }
}
