import { Collection, Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique, Rel, OptionalProps } from '@mikro-orm/core';
import { ReportVersionStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity';
import { Report } from './report.entity';
import { ResultRow } from './result-row.entity';

@Entity({ tableName: 'report_versions' })
@Unique({ properties: ['report', 'number'] })
export class ReportVersion {
  [OptionalProps]?: 'status' | 'observations' | 'signer' | 'finalizedAt' | 'failureReason' | 'supersedesNumber' | 'amendReason' | 'invalidatedAt' | 'invalidatedBy' | 'invalidationReason' | 'voidPdfKey' | 'voidPdfSha256' | 'voidPdfSize' | 'createdAt' | 'updatedAt' | 'lockVersion' | 'finalizeJobId' | 'renderJobId' | 'runToken' | 'pdfKey' | 'pdfSha256' | 'pdfSize' | 'verificationCode' | 'signatureKey';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Report, { deleteRule: 'cascade' })
  report!: Rel<Report>;

  /** 1, 2, … ; an amendment opens number n+1. */
  @Property({ type: 'integer' })
  number!: number;

  @Index()
  @Property({ type: 'string', length: 20 })
  status: ReportVersionStatus = ReportVersionStatus.Draft;

  @Property({ type: 'text', nullable: true })
  observations: string | null = null;

  @ManyToOne(() => User, { nullable: true })
  signer: Rel<User> | null = null;

  /**
   * The signer's signature image when the version was claimed for finalizing: every later render
   * of it (a lost file, the annulled copy) prints this one, whatever the signer uploads since.
   * Null for versions claimed before signatures were stored as files: those print the old blob.
   */
  @Property({ type: 'string', length: 200, nullable: true })
  signatureKey: string | null = null;

  @Property({ type: Date, nullable: true })
  finalizedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;

  /** Number of the version this one replaces (amendments). */
  @Property({ type: 'integer', nullable: true })
  supersedesNumber: number | null = null;

  /** Why this version corrects the one it supersedes (an amendment's reason, 10–500 characters); printed on its PDF. */
  @Property({ type: 'text', nullable: true })
  amendReason: string | null = null;

  /** Annulment (status `invalidated`): when, by whom and why. */
  @Property({ type: Date, nullable: true })
  invalidatedAt: Date | null = null;

  @ManyToOne(() => User, { nullable: true })
  invalidatedBy: Rel<User> | null = null;

  @Property({ type: 'text', nullable: true })
  invalidationReason: string | null = null;

  /**
   * The PDF of an annulled version, stamped ANULADO / VOID with the reason on every page: its own
   * storage key and SHA-256 (the ETag). Once annulled, only this file is ever served for it.
   */
  @Property({ type: 'string', length: 200, nullable: true })
  voidPdfKey: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  voidPdfSha256: string | null = null;

  @Property({ type: 'integer', nullable: true })
  voidPdfSize: number | null = null;

  /** The finalize job of this version (JobRecord id = Bull job id); a second request gets this one. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  finalizeJobId: string | null = null;

  /** The last job that rendered this finalized version's PDF again (its file was missing). */
  @Property({ type: 'uuid', nullable: true })
  renderJobId: string | null = null;

  /**
   * The run of its finalize or render job that may write this version now: each run takes a fresh
   * one, and its file, checkpoints and status change only count while it is still here. A run that
   * finds another token (its lock expired and another worker took the job) stops without writing.
   */
  @Property({ type: 'uuid', nullable: true })
  runToken: string | null = null;

  /** The stored PDF (set once it is stored: the finalize job's checkpoint); the SHA-256 is the ETag. */
  @Property({ type: 'string', length: 200, nullable: true })
  pdfKey: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  pdfSha256: string | null = null;

  @Property({ type: 'integer', nullable: true })
  pdfSize: number | null = null;

  /**
   * Printed on every page; derived from the version's content, not from the PDF bytes. Unique: the
   * public verification page finds a version by it (one indexed lookup).
   */
  @Unique()
  @Property({ type: 'string', length: 32, nullable: true })
  verificationCode: string | null = null;

  @OneToMany(() => ResultRow, (r) => r.version, { orderBy: { position: 'asc' } })
  rows = new Collection<ResultRow>(this);

  /** Optimistic lock for editing the draft's rows; bumped on every edit. */
  @Property({ type: 'integer', version: true })
  lockVersion!: number;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
