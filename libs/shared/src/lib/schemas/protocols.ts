import { z } from 'zod';
import { Priority, ProtocolAction, ProtocolStatus, SampleType, Sex, Species, values } from '../enums';
import { IsoDate, PageQuery, Ref } from './common';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional().nullable();

export const SampleInput = z.strictObject({
  type: z.enum(values(SampleType)),
  count: z.number().int().min(1).max(20),
});

/** Strict at every level: an unknown field is a client mistake worth a 400, not something to drop silently. */
export const CreateProtocolRequest = z.strictObject({
  /** Required when staff or an admin submit on behalf of a clinic; a vet's own clinic otherwise. */
  clinicId: z.uuid().optional(),
  /** Staff submitting for a clinic may name the vet; defaults to none. */
  vetId: z.uuid().optional(),
  animal: z.strictObject({
    name: text(80),
    species: z.enum(values(Species)),
    breed: optionalText(80),
    sex: z.enum(values(Sex)).default(Sex.Unknown),
    ageMonths: z.number().int().min(0).max(600).optional().nullable(),
  }),
  owner: z.strictObject({
    name: text(120),
    phone: optionalText(40),
    email: z.email().max(254).optional().nullable(),
  }),
  samples: z.array(SampleInput).min(1).max(10),
  panelIds: z.array(z.uuid()).min(1).max(20).refine((a) => new Set(a).size === a.length, 'must not repeat a panel'),
  priority: z.enum(values(Priority)).default(Priority.Routine),
  notes: optionalText(2000),
});
export type CreateProtocolRequest = z.input<typeof CreateProtocolRequest>;

export const ProtocolSortField = ['code', 'createdAt', 'status', 'animalName', 'ownerName', 'species', 'receivedAt'] as const;
const sortPattern = new RegExp(`^-?(${ProtocolSortField.join('|')})$`);

export const ProtocolListQuery = PageQuery.extend({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(z.enum(values(ProtocolStatus))).optional())
    .describe(`comma-separated: ${values(ProtocolStatus).join(', ')}`),
  clinicId: z.uuid().optional(),
  species: z.enum(values(Species)).optional(),
  from: IsoDate.optional().describe('ISO date or timestamp (createdAt >=)'),
  to: IsoDate.optional().describe('ISO date (whole day) or timestamp (createdAt <=)'),
  q: z.string().trim().max(100).optional().describe('text in code, animal or owner'),
  sort: z
    .string()
    .regex(sortPattern, `must be one of ${ProtocolSortField.join(', ')} (prefix - for descending)`)
    .default('-createdAt')
    .describe(`${ProtocolSortField.join(', ')}; prefix - for descending`),
});
export type ProtocolListQuery = z.infer<typeof ProtocolListQuery>;
/** The list filter without paging: what bulk actions resolve to ids. */
export const ProtocolFilter = ProtocolListQuery.omit({ page: true, pageSize: true, sort: true });
export type ProtocolFilter = z.infer<typeof ProtocolFilter>;

export const ProtocolSummary = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.enum(values(ProtocolStatus)),
    priority: z.enum(values(Priority)),
    clinic: Ref,
    vet: Ref.nullable(),
    animalName: z.string(),
    species: z.enum(values(Species)),
    ownerName: z.string(),
    createdAt: z.string(),
    receivedAt: z.string().nullable(),
    /**
     * Optimistic-lock version, so that list rows can send it with a transition (receive, reject…).
     * The API always sets it; optional only so that existing summary fixtures stay valid.
     */
    version: z.number().int().optional(),
  })
  .meta({ id: 'ProtocolSummary' });
export type ProtocolSummary = z.infer<typeof ProtocolSummary>;

export const ProtocolDetail = ProtocolSummary.extend({
  breed: z.string().nullable(),
  sex: z.enum(values(Sex)),
  ageMonths: z.number().nullable(),
  ownerPhone: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  samples: z.array(z.object({ type: z.enum(values(SampleType)), count: z.number().int() })),
  panels: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  notes: z.string().nullable(),
  receivedBy: Ref.nullable(),
  rejectionReason: z.string().nullable(),
  /** Optimistic-lock version; send it back with a transition to refuse stale writes. */
  version: z.number().int(),
  workOrderId: z.string(),
  reportId: z.string(),
  availableActions: z.array(z.enum(values(ProtocolAction))),
}).meta({ id: 'ProtocolDetail' });
export type ProtocolDetail = z.infer<typeof ProtocolDetail>;

export const TransitionRequest = z.object({ version: z.number().int().min(1).optional() }).strict();
export const RejectRequest = z
  .object({ reason: z.string().trim().min(3).max(500), version: z.number().int().min(1).optional() })
  .strict();
export type RejectRequest = z.infer<typeof RejectRequest>;
