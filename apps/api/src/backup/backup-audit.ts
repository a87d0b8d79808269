import { MikroORM } from '@mikro-orm/core';
import { AuditAction, AuditEntity } from '@vetlab/shared';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { mikroOrmOptions } from '../database/mikro-orm.config';

/**
 * The trail's entry of a backup or a restore (no actor: a command run on the server), written
 * through the audit's own service on a connection of its own: the commands run without the app.
 */
export async function auditBackupAction(database: AppConfig['database'], action: typeof AuditAction.Backup | typeof AuditAction.Restore, backupId: string, after: Record<string, unknown>): Promise<void> {
  const orm = await MikroORM.init(mikroOrmOptions(database));
  try {
    const em = orm.em.fork();
    await new AuditService(new AuditRepository(em)).recordMany(em, [{ actorId: null, entity: AuditEntity.Backup, entityId: backupId, action, after }]);
  } finally {
    await orm.close(true);
  }
}
