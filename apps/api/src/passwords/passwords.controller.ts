import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ChangePasswordRequest, ErrorBody, PasswordLinkInfo, PasswordLinkQuery, SetPasswordRequest } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { ClientIp, Cookie, SessionCookie } from '../auth/session-cookie';
import { ApiZodResponse, ZodBody, ZodQuery } from '../common/zod';
import { PasswordsService } from './passwords.service';

/** Setting a password through a one-time link (public, limited per address) and changing one's own. */
@ApiTags('auth')
@Controller('auth')
export class PasswordsController {
  constructor(private readonly passwords: PasswordsService) {}

  @Public()
  @Get('password-link')
  @ApiOperation({ summary: 'Who a one-time set-password link is for, and until when it works' })
  @ApiZodResponse(200, PasswordLinkInfo)
  @ApiZodResponse(410, ErrorBody, 'unknown, used, replaced or expired link (PASSWORD_LINK_INVALID)')
  @ApiZodResponse(429, ErrorBody, 'too many attempts from this address; Retry-After says when to try again')
  linkInfo(@ZodQuery(PasswordLinkQuery) query: PasswordLinkQuery, @ClientIp() ip: string) {
    return this.passwords.info(query.token, ip);
  }

  @Public()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a password through a one-time link; the link is spent and every session ends' })
  @ApiResponse({ status: 204, description: 'password set' })
  @ApiZodResponse(410, ErrorBody, 'unknown, used, replaced or expired link (PASSWORD_LINK_INVALID)')
  @ApiZodResponse(429, ErrorBody, 'too many attempts from this address; Retry-After says when to try again')
  setPassword(@ZodBody(SetPasswordRequest) dto: SetPasswordRequest, @ClientIp() ip: string) {
    return this.passwords.setPassword(dto, ip);
  }

  @Put('me/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password (giving the current one); your other sessions end' })
  @ApiResponse({ status: 204, description: 'password changed' })
  changePassword(@CurrentUser() user: AuthUser, @ZodBody(ChangePasswordRequest) dto: ChangePasswordRequest, @Cookie() cookie: SessionCookie) {
    return this.passwords.changePassword(user, dto, cookie.value);
  }
}
