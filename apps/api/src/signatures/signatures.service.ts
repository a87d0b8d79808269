import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, UnsupportedMediaTypeException } from '@nestjs/common';
import { AuditAction, AuditEntity, FieldErrorCode, Role, UserView } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { invalid, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user-views';
import { normalizeSignature, readSignature, storeSignature, UnreadableImageError } from './signature-image';
import { normalizeInThread } from './signature-thread';

/** Signers' signature images: uploaded by admins, stored as files, printed on the reports they finalize. */
@Injectable()
export class SignaturesService implements OnApplicationBootstrap {
  private readonly log = new Logger('Signatures');

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
      png = await normalizeInThread(bytes);
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

  /** In the background at start: a failure is logged and tried again at the next start. */
  onApplicationBootstrap(): void {
    void this.moveLegacySignatures().catch((e) => this.log.warn(`could not move the old signature images to the file storage: ${(e as Error).message}`));
  }

  /**
   * Databases from before signatures were files keep signers' images as blobs: each becomes a
   * stored file with a key, once (so the people page says they have one, and new reports use it).
   * The blob stays: versions finalized before still print it. Safe to run on several instances.
   */
  async moveLegacySignatures(): Promise<number> {
    const em = this.em.fork();
    const users = await em.find(User, { signatureKey: null, signaturePng: { $ne: null } }, { populate: ['signaturePng'] });
    let moved = 0;
    for (const user of users) {
      let png: Buffer;
      try {
        png = normalizeSignature(user.signaturePng!).png;
      } catch (e) {
        this.log.warn(`the old signature image of user ${user.id} is unreadable (${(e as Error).message}); upload a new one`);
        continue;
      }
      const key = await storeSignature(this.storage, user.id, png);
      await writeTransaction(em, async (tx) => {
        if (!(await tx.nativeUpdate(User, { id: user.id, signatureKey: null }, { signatureKey: key }))) return;
        this.audit.record(tx, { actorId: null, entity: AuditEntity.User, entityId: user.id, action: AuditAction.SignatureUpload, before: { signatureKey: null }, after: { signatureKey: key } });
        await tx.flush();
        moved++;
      });
    }
    if (moved) this.log.log(`moved ${moved} old signature image(s) to the file storage`);
    return moved;
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
