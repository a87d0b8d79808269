import { Me, UserView } from '@vetlab/shared';
import { User } from './user.entity';

/** The signed-in user as the SPA sees it; the clinic must be loaded (populate: ['clinic']). */
export function toMe(user: User): Me {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    signer: user.signer,
    clinic: user.clinic ? { id: user.clinic.id, name: user.clinic.name } : null,
  };
}

export function toUserView(user: User): UserView {
  return { ...toMe(user), active: user.active, createdAt: user.createdAt.toISOString(), hasSignature: user.signatureKey != null };
}
