import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { AuditAction, AuditEntity, FieldErrorCode, Role, UserView } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { invalid, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user-views';
import { normalizeSignature, readSignature, storeSignature, UnreadableImageError } from './signature-image';

/** Signers' signature images: uploaded by admins, stored as files, printed on the reports they finalize. */
@Injectable()
export class SignaturesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /**
   * Replaces a signer's image. The file is stored first (content-addressed, so a retry or a lost
   * race writes nothing new); the user's key and the audit entry commit together. Versions already
   * claimed keep the key they were claimed with.
   */
  async upload(actor: AuthUser, userId: string, bytes: Buffer): Promise<UserView> {
    const target = await this.em.findOne(User, { id: userId }, { populate: ['clinic'] });
    if (!target) throw notFound('user');
    if (target.role !== Role.Staff || !target.signer) throw invalid('params.id', 'only staff signers have a signature; make them a signer first', FieldErrorCode.NotAllowed);
    let png: Buffer;
    try {
      png = normalizeSignature(bytes).png;
    } catch (e) {
      if (e instanceof UnreadableImageError) throw new UnsupportedMediaTypeException(`body: ${e.message}; send a PNG or JPEG image`);
      throw e;
    }
    const key = await storeSignature(this.storage, target.id, png);
    const user = await writeTransaction(this.em, async (em) => {
      const user = await em.findOneOrFail(User, { id: userId }, { populate: ['clinic'] });
      if (user.signatureKey === key) return user;
      this.audit.record(em, { actorId: actor.id, entity: AuditEntity.User, entityId: user.id, action: AuditAction.SignatureUpload, before: { signatureKey: user.signatureKey }, after: { signatureKey: key } });
      user.signatureKey = key;
      await em.flush();
      return user;
    });
    return toUserView(user);
  }

  /** The image as stored (a staff member may see their own; others get 404, like a missing one). */
  async image(actor: AuthUser, userId: string): Promise<{ png: Buffer; etag: string }> {
    if (actor.role !== Role.Admin && actor.id !== userId) throw notFound('signature');
    const user = await this.em.findOne(User, { id: userId }, { populate: ['signaturePng'] });
    const png = user?.signatureKey ? await readSignature(this.storage, user.signatureKey) : (user?.signaturePng ?? null);
    if (!user || !png?.length) throw notFound('signature');
    return { png, etag: `"${user.signatureKey?.split('/').pop()?.replace('.png', '') ?? 'legacy'}"` };
  }
}
