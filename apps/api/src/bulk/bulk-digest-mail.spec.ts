import { bulkDigestMail, BulkDigestInput } from './bulk-digest-mail';

const input = (count: number, over: Partial<BulkDigestInput> = {}): BulkDigestInput => ({
  from: 'lab <lab@vetlab.local>',
  to: 'vet@clinic.test',
  messageId: '<d1@vetlab.local>',
  language: 'es',
  labName: 'Laboratorio',
  clinicName: 'Clínica Norte',
  target: 'received',
  reason: null,
  protocols: Array.from({ length: count }, (_, i) => ({ code: `P-${i + 1}`, animalName: `Animal ${i + 1}` })),
  ...over,
});

describe('bulkDigestMail', () => {
  it('counts protocols with the right plural in Spanish, adjectives agreeing', () => {
    expect(bulkDigestMail(input(1)).subject).toBe('1 protocolo actualizado — Clínica Norte');
    expect(bulkDigestMail(input(2)).subject).toBe('2 protocolos actualizados — Clínica Norte');
    expect(bulkDigestMail(input(1, { target: 'rejected', reason: 'muestra hemolizada' })).subject).toBe('1 protocolo rechazado — Clínica Norte');
    expect(bulkDigestMail(input(3, { target: 'rejected' })).subject).toBe('3 protocolos rechazados — Clínica Norte');
    expect(bulkDigestMail(input(1)).text).toContain('El siguiente protocolo de Clínica Norte ha pasado a estado «recibido en el laboratorio»:');
    expect(bulkDigestMail(input(2)).text).toContain('Los siguientes 2 protocolos de Clínica Norte han pasado a estado');
  });

  it("speaks an English clinic's language", () => {
    const one = bulkDigestMail(input(1, { language: 'en', target: 'rejected', reason: 'haemolysed sample' }));
    expect(one.subject).toBe('1 protocol rejected — Clínica Norte');
    expect(one.text).toBe(
      ['Dear colleague,', '', 'The following protocol of Clínica Norte is now "rejected":', '', '- P-1 (Animal 1)', '', 'Reason: haemolysed sample', '', 'Kind regards,', 'Laboratorio', ''].join('\n'),
    );
    const two = bulkDigestMail(input(2, { language: 'en' }));
    expect(two.subject).toBe('2 protocols updated — Clínica Norte');
    expect(two.text).toContain('The following 2 protocols of Clínica Norte are now "received at the laboratory":');
  });
});
