import { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { Clinic } from '../clinics/clinic.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from './user.entity';

/** Filters of the people list (all optional; together they narrow). */
export interface UserFilter {
  role?: Role;
  clinicId?: string;
  active?: boolean;
  /** Part of the name or e-mail, case-insensitive. */
  q?: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  signer: boolean;
  clinicId: string | null;
  passwordHash: string;
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The one writer of the `users` table (besides the seed); the rules are UsersService's. */
@Injectable()
export class UsersRepository {
  private readonly postgres: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.postgres = config.database.driver === 'postgresql';
  }

  /** One page by name, with each person's clinic. */
  async page(em: EntityManager, f: UserFilter, limit: number, offset: number): Promise<{ users: User[]; total: number }> {
    const qb = (em as SqlEntityManager).createQueryBuilder(User, 'u').select('*').leftJoinAndSelect('u.clinic', 'c');
    const where: FilterQuery<User> = {};
    if (f.role) where.role = f.role;
    if (f.clinicId) where.clinic = f.clinicId;
    if (f.active !== undefined) where.active = f.active;
    qb.where(where);
    if (f.q) {
      const pattern = likePattern(f.q);
      qb.andWhere(`(lower(u.name) like ? escape '\\' or lower(u.email) like ? escape '\\')`, [pattern, pattern]);
    }
    qb.orderBy({ name: 'asc', id: 'asc' }).limit(limit).offset(offset);
    const [users, total] = await qb.getResultAndCount();
    return { users, total };
  }

  findById(em: EntityManager, id: string): Promise<User | null> {
    return em.findOne(User, { id }, { populate: ['clinic'] });
  }

  /** With the password hash (lazy otherwise): for checking the current password. */
  findWithPasswordHash(em: EntityManager, id: string): Promise<User | null> {
    return em.findOne(User, { id }, { populate: ['clinic', 'passwordHash'] });
  }

  async emailTaken(em: EntityManager, email: string): Promise<boolean> {
    return (await em.count(User, { email })) > 0;
  }

  clinicExists(em: EntityManager, id: string): Promise<Clinic | null> {
    return em.findOne(Clinic, { id });
  }

  /** Adds the person to the caller's unit of work (flushed with it). */
  insert(em: EntityManager, u: NewUser): User {
    return em.create(User, { email: u.email, name: u.name, role: u.role, signer: u.signer, clinic: u.clinicId ? em.getReference(Clinic, u.clinicId) : null, passwordHash: u.passwordHash });
  }

  /**
   * Active admins other than `exceptId`, counted inside the caller's transaction. On PostgreSQL the
   * active admins' rows are locked first, so two admins deactivating each other at once are judged
   * one after the other (SQLite runs one write transaction at a time anyway).
   */
  async otherActiveAdmins(em: EntityManager, exceptId: string | null): Promise<number> {
    if (this.postgres) {
      await em.getConnection().execute(`select id from users where role = ? and active = ? for update`, [Role.Admin, true], 'all', em.getTransactionContext());
    }
    return em.count(User, exceptId ? { role: Role.Admin, active: true, id: { $ne: exceptId } } : { role: Role.Admin, active: true });
  }

  async setPasswordHash(em: EntityManager, id: string, passwordHash: string): Promise<void> {
    await em.nativeUpdate(User, { id }, { passwordHash, updatedAt: new Date() });
  }
}
