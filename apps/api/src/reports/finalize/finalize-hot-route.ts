import { INestApplication } from '@nestjs/common';
import type { HotRoute } from '../../common/hot-routes';
import { writeJson } from '../../common/write-json';
import { ReportsController } from '../reports.controller';
import { FinalizeRequestService } from './finalize-request.service';

/**
 * `POST /api/reports/:id/finalize` ahead of Nest's pipeline: the request twenty signers send at the
 * same moment. A token check, two prepared statements and an enqueue; under such a burst Nest's
 * per-request pipeline cost more than that. The rule is ReportsController.finalize's @SignerOnly.
 */
export function finalizeHotRoute(app: INestApplication): HotRoute {
  const finalizer = app.get(FinalizeRequestService, { strict: false });
  return {
    method: 'POST',
    prefix: 'reports',
    suffix: 'finalize',
    controller: { type: ReportsController, method: 'finalize' },
    async handle(user, id, _req, res) {
      writeJson(res, 202, await finalizer.finalize(user, id));
    },
  };
}
