import { ReportLanguage, Role } from '@vetlab/shared';
import { passwordLinkMail, personLanguage } from './password-link-mail';

describe('passwordLinkMail', () => {
  const base = {
    from: 'vetlab <lab@vetlab.local>',
    to: 'ana@norte.test',
    messageId: '<password-link-1@vetlab.local>',
    name: 'Ana',
    url: 'https://lab.example/password/abc',
    expiresAt: new Date('2026-12-06T10:00:00Z'),
    labName: 'Laboratorio',
  };

  it('carries the link and its expiry in the person’s language, nothing attached', () => {
    const es = passwordLinkMail({ ...base, language: ReportLanguage.Es });
    expect(es.subject).toBe('Establezca su contraseña de vetlab');
    expect(es.text).toContain('https://lab.example/password/abc');
    expect(es.text).toContain('06/12/2026');
    expect(es.attachments).toBeUndefined();
    const en = passwordLinkMail({ ...base, language: ReportLanguage.En });
    expect(en.subject).toBe('Set your vetlab password');
    expect(en.text).toMatch(/Hello Ana,\n/);
  });

  it('speaks a vet’s clinic’s language; the lab’s people read Spanish', () => {
    expect(personLanguage({ role: Role.Vet, clinic: { reportLanguage: ReportLanguage.En } })).toBe('en');
    expect(personLanguage({ role: Role.Staff, clinic: null })).toBe('es');
    expect(personLanguage({ role: Role.Admin, clinic: null })).toBe('es');
  });
});
