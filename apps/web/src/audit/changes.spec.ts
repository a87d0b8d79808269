import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { changesOf, show } from './changes';

const ctx = { t: translate('es'), locale: 'es' as const, dateTime: (iso: string) => `fecha(${iso})` };
const line = (c: ReturnType<typeof changesOf>[number]) =>
  `${c.label}: ${[c.before, c.after].filter(Boolean).map((s) => (s!.kind === 'text' ? s!.text : `[${s!.summary}]`)).join(' → ')}`;

describe('changesOf', () => {
  it('lists each changed field as "field: old → new", leaving out what did not change', () => {
    const changes = changesOf({ entity: 'report', before: { versionNumber: 1, status: 'draft' }, after: { versionNumber: 1, status: 'finalizing' } }, ctx);
    expect(changes.map(line)).toEqual(['Estado: Borrador → Finalizando']);
  });

  it('names statuses with the SPA’s own labels per kind of record', () => {
    expect(changesOf({ entity: 'protocol', before: { status: 'received' }, after: { status: 'in_analysis' } }, ctx).map(line)).toEqual(['Estado: Recibido → En análisis']);
    expect(changesOf({ entity: 'bulk_run', before: { state: 'failed' }, after: { state: 'queued' } }, ctx).map(line)).toEqual(['Estado: Falló → En cola']);
    expect(changesOf({ entity: 'work_order', before: { priority: 'routine' }, after: { priority: 'stat' } }, ctx).map(line)).toEqual(['Prioridad: Rutina → Inmediata']);
  });

  it('a correction: the new version, and what it replaces and why (said only after: just the value)', () => {
    const changes = changesOf(
      { entity: 'report', before: { versionNumber: 1, status: 'finalized' }, after: { versionNumber: 2, status: 'draft', supersedesNumber: 1, reason: 'GLU mal transcrita' } },
      ctx,
    );
    expect(changes.map(line)).toEqual(['Versión: 1 → 2', 'Estado: Finalizado → Borrador', 'Reemplaza a la versión: 1', 'Motivo: GLU mal transcrita']);
  });

  it('a creation shows only the new values; booleans as Sí/No, dates formatted, lists joined', () => {
    const changes = changesOf({ entity: 'user', before: null, after: { signer: true, active: false, expiresAt: '2026-12-03T10:00:00.000Z', resultEmails: ['a@x.test', 'b@x.test'] } }, ctx);
    expect(changes.map(line)).toEqual(['Firmante: Sí', 'Activo/a: No', 'Vence: fecha(2026-12-03T10:00:00.000Z)', 'Correos de resultados: a@x.test, b@x.test']);
  });

  it('mail and job values in the console’s words; an unknown field keeps its name', () => {
    expect(changesOf({ entity: 'mail', before: { status: 'failed', lastError: 'x' }, after: { status: 'pending' } }, ctx).map(line)).toEqual(['Estado: Fallido → Pendiente', 'Último error: x → —']);
    expect(changesOf({ entity: 'job', before: { kind: 'send_email' }, after: null }, ctx).map(line)).toEqual(['Tipo: Correo']);
    expect(changesOf({ entity: 'mail', before: { fooBar: 'x' }, after: { fooBar: 'y' } }, ctx).map(line)).toEqual(['fooBar: x → y']);
  });

  it('the fields of people’s and pauses’ entries have labels; pause ends and report languages read as words', () => {
    const after = { passwordLinkExpiresAt: '2026-12-03T10:00:00.000Z', via: 'create-admin', sessionsEnded: 2, endedBy: 'expired', reportLanguage: 'en' };
    expect(changesOf({ entity: 'user', before: null, after }, ctx).map(line)).toEqual([
      'Enlace de contraseña vence: fecha(2026-12-03T10:00:00.000Z)',
      'Creado con: create-admin',
      'Sesiones cerradas: 2',
      'Terminada por: Su vencimiento',
      'Idioma de informes: Inglés',
    ]);
    expect(changesOf({ entity: 'user', before: { signatureKey: null }, after: { signatureKey: 'signatures/u1/ab12.png' } }, ctx).map(line)).toEqual(['Firma (archivo): — → signatures/u1/ab12.png']);
  });

  it('a backup’s and a restore’s entries read in the lab’s words', () => {
    const taken = { folder: '/backups/2026-12-05', lastMigration: 'Migration20261203230000_JobRunTokens', files: 364, bytes: 8601234 };
    expect(changesOf({ entity: 'backup', before: null, after: taken }, ctx).map(line)).toEqual([
      'Carpeta: /backups/2026-12-05',
      // Long as a token: folded, whole on opening.
      'Última migración: [Migratio…]',
      'Archivos: 364',
      'Bytes: 8601234',
    ]);
    const restored = { folder: '/backups/2026-12-05', takenAt: '2026-12-05T02:30:00.000Z', lastMigration: null };
    expect(changesOf({ entity: 'backup', before: null, after: restored }, ctx).map(line)).toEqual([
      'Carpeta: /backups/2026-12-05',
      'Copia tomada: fecha(2026-12-05T02:30:00.000Z)',
      'Última migración: —',
    ]);
  });

  it('a result edit reads one line per analyte; a small record inline', () => {
    const before = { versionNumber: 1, rows: [{ rowId: 'r1', code: 'GLU', value: '180', flag: 'high' }, { rowId: 'r2', code: 'HCT', value: null, flag: null }] };
    const after = { versionNumber: 1, rows: [{ rowId: 'r1', code: 'GLU', value: '120', flag: 'normal' }, { rowId: 'r2', code: 'HCT', value: '40', flag: 'normal' }] };
    expect(changesOf({ entity: 'report', before, after }, ctx).map(line)).toEqual(['GLU: 180 → 120', 'HCT: — → 40']);
    expect(changesOf({ entity: 'work_order', before: { requirements: { hematologia: '1 ml' } }, after: { requirements: { hematologia: '2 ml' } } }, ctx).map(line)).toEqual([
      'Requisitos: hematologia: 1 ml → hematologia: 2 ml',
    ]);
  });

  it('names the records an entry points to by the names the API sent; an id it could not name stays folded', () => {
    const [clinic, vet, hemo, bioq, gone] = [1, 2, 3, 4, 5].map((n) => `0000000${n}-0000-4000-8000-000000000000`);
    const names = { [clinic]: 'Clínica Norte', [vet]: 'Dra. Vera Ruiz', [hemo]: 'Hemograma completo', [bioq]: 'Perfil bioquímico' };
    const created = changesOf({ entity: 'protocol', before: null, after: { code: 'P-2026-000001', clinicId: clinic, vetId: vet, panelIds: [hemo, bioq] }, names }, ctx);
    expect(created.map(line)).toEqual(['Código: P-2026-000001', 'Clínica: Clínica Norte', 'Veterinario/a: Dra. Vera Ruiz', 'Paneles: Hemograma completo, Perfil bioquímico']);
    const moved = changesOf({ entity: 'user', before: { clinicId: gone }, after: { clinicId: clinic }, names }, ctx);
    expect(moved.map(line)).toEqual([`Clínica: [${gone.slice(0, 8)}…] → Clínica Norte`]);
    expect(changesOf({ entity: 'protocol', before: null, after: { panelIds: [hemo, gone] }, names }, ctx).map(line)).toEqual(['Paneles: [2 datos]']);
  });

  it('folds structures and long texts behind a summary', () => {
    const big = { a: { x: 1 }, b: [1, 2] };
    expect(show('report', 'results', big, ctx)).toEqual({ kind: 'long', summary: '2 datos', text: JSON.stringify(big, null, 2) });
    const long = show('report', 'observations', 'mucho texto '.repeat(20), ctx);
    expect(long.kind).toBe('long');
    expect(long.kind === 'long' && long.summary.length).toBe(80);
    expect(show('report', 'observations', null, ctx)).toEqual({ kind: 'text', text: '—' });
    // Ids and hashes by their start; a list of ids folded as a list.
    const id = '2e5d709d-8199-44cf-b966-e24adfaae2bb';
    expect(show('protocol', 'clinicId', id, ctx)).toEqual({ kind: 'long', summary: '2e5d709d…', text: id });
    expect(show('report', 'pdfSha256', 'a'.repeat(64), ctx)).toEqual({ kind: 'long', summary: 'aaaaaaaa…', text: 'a'.repeat(64) });
    expect(show('protocol', 'panelIds', [id, id], ctx)).toMatchObject({ kind: 'long', summary: '2 datos' });
  });
});
