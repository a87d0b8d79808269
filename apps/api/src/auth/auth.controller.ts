import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginRequest } from '@vetlab/shared';
import { ApiZodBody, ZodBody } from '../common/zod';
import { AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ClientIp, Cookie, REFRESH_COOKIE, SessionCookie } from './session-cookie';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: `Sign in: access token in the body, refresh token in the httpOnly ${REFRESH_COOKIE} cookie` })
  @ApiZodBody(LoginRequest)
  login(@ZodBody(LoginRequest) dto: LoginRequest, @ClientIp() ip: string, @Cookie() cookie: SessionCookie) {
    return this.auth.login(dto, ip, cookie);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'Rotate the refresh cookie and get a new access token' })
  refresh(@Cookie() cookie: SessionCookie) {
    return this.auth.refresh(cookie);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'End this login (every token of its family) and clear the cookie' })
  logout(@Cookie() cookie: SessionCookie) {
    return this.auth.logout(cookie);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }
}
