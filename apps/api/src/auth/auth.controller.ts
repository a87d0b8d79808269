import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorBody, LoginRequest, LoginResponse, Me } from '@vetlab/shared';
import { ApiZodResponse, ZodBody } from '../common/zod';
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
  @ApiZodResponse(200, LoginResponse)
  @ApiZodResponse(401, ErrorBody, 'wrong e-mail or password, or an inactive user')
  @ApiZodResponse(429, ErrorBody, 'too many failed attempts; Retry-After says when to try again')
  login(@ZodBody(LoginRequest) dto: LoginRequest, @ClientIp() ip: string, @Cookie() cookie: SessionCookie) {
    return this.auth.login(dto, ip, cookie);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'Rotate the refresh cookie and get a new access token' })
  @ApiZodResponse(200, LoginResponse)
  @ApiZodResponse(401, ErrorBody, 'no valid refresh cookie')
  refresh(@Cookie() cookie: SessionCookie) {
    return this.auth.refresh(cookie);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'End this login (every token of its family) and clear the cookie' })
  @ApiResponse({ status: 204, description: 'logged out (also without a valid cookie)' })
  logout(@Cookie() cookie: SessionCookie) {
    return this.auth.logout(cookie);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiZodResponse(200, Me)
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }
}
