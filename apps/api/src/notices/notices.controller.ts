import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, NoticeListQuery, NoticePage, NoticesMarkedRead, NoticeUnreadCount, NoticeView, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodParams, ZodQuery } from '../common/zod';
import { NoticesService } from './notices.service';

/** A vet's own in-app notices: only ever the caller's (another user's notice is 404). */
@ApiTags('notices')
@Roles(Role.Vet)
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOperation({ summary: "The caller's notices, newest first, paged, with the unread count" })
  @ApiZodResponse(200, NoticePage)
  list(@CurrentUser() user: AuthUser, @ZodQuery(NoticeListQuery) query: NoticeListQuery) {
    return this.notices.page(user, query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: "How many of the caller's notices are unread (the bell's badge)" })
  @ApiZodResponse(200, NoticeUnreadCount)
  unreadCount(@CurrentUser() user: AuthUser) {
    return this.notices.unreadCount(user);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: "Mark every unread notice of the caller read" })
  @ApiZodResponse(200, NoticesMarkedRead)
  readAll(@CurrentUser() user: AuthUser) {
    return this.notices.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of the caller’s notices read' })
  @ApiZodResponse(200, NoticeView)
  read(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.notices.markRead(user, id);
  }
}
