import { QueryOrder } from '@mikro-orm/core';
import { ProtocolListQuery, Role } from '@vetlab/shared';
import { createdAtRange, likePattern, orderByFor, parseSort, protocolConditions } from './protocol-list-query';

const CLINIC_A = '00000000-0000-4000-8000-00000000000a';
const CLINIC_B = '00000000-0000-4000-8000-00000000000b';
const staff = { role: Role.Staff, clinicId: null };
const vetA = { role: Role.Vet, clinicId: CLINIC_A };
const query = (q: Record<string, string> = {}) => ProtocolListQuery.parse(q);

describe('parseSort / orderByFor', () => {
  it('reads the direction from the "-" prefix', () => {
    expect(parseSort('-createdAt')).toEqual({ field: 'createdAt', direction: 'desc' });
    expect(parseSort('animalName')).toEqual({ field: 'animalName', direction: 'asc' });
  });

  it('refuses a field the schema would not have let through', () => {
    expect(() => parseSort('passwordHash')).toThrow(/unknown sort field/);
  });

  it('puts nulls last both ways and breaks ties by id in the same direction', () => {
    expect(orderByFor('receivedAt')).toEqual([{ receivedAt: QueryOrder.ASC_NULLS_LAST }, { id: QueryOrder.ASC }]);
    expect(orderByFor('-receivedAt')).toEqual([{ receivedAt: QueryOrder.DESC_NULLS_LAST }, { id: QueryOrder.DESC }]);
  });

  it('orders a column that is never null plainly (an index serves it backwards too)', () => {
    expect(orderByFor('-createdAt')).toEqual([{ createdAt: QueryOrder.DESC }, { id: QueryOrder.DESC }]);
    expect(orderByFor('ownerName')).toEqual([{ ownerName: QueryOrder.ASC }, { id: QueryOrder.ASC }]);
  });
});

describe('createdAtRange', () => {
  it('is undefined without bounds', () => {
    expect(createdAtRange()).toBeUndefined();
  });

  it('covers whole UTC days for bare dates', () => {
    expect(createdAtRange('2026-03-01', '2026-03-31')).toEqual({
      $gte: new Date('2026-03-01T00:00:00.000Z'),
      $lt: new Date('2026-04-01T00:00:00.000Z'),
    });
  });

  it('uses timestamps as they are, the upper one inclusive', () => {
    expect(createdAtRange('2026-03-01T10:00:00+02:00', '2026-03-02T10:00:00Z')).toEqual({
      $gte: new Date('2026-03-01T08:00:00.000Z'),
      $lte: new Date('2026-03-02T10:00:00.000Z'),
    });
  });
});

describe('likePattern', () => {
  it('lower-cases the term (Spanish rules) and wraps it in wildcards', () => {
    expect(likePattern('  ÑANDÚ ')).toBe('%ñandú%');
  });

  it('escapes LIKE wildcards and the escape character itself', () => {
    expect(likePattern('100%_a!')).toBe('%100!%!_a!!%');
  });
});

describe('protocolConditions', () => {
  it('builds the filter for staff', () => {
    const c = protocolConditions(query({ status: 'received,rejected', clinicId: CLINIC_B, species: 'cat', from: '2026-01-01', q: 'Rex' }), staff);
    expect(c).toEqual({
      where: {
        clinic: CLINIC_B,
        status: { $in: ['received', 'rejected'] },
        species: 'cat',
        createdAt: { $gte: new Date('2026-01-01T00:00:00.000Z') },
      },
      search: '%rex%',
    });
  });

  it('uses equality for a single status and no search for a blank term', () => {
    expect(protocolConditions(query({ status: 'submitted', q: '   ' }), staff)).toEqual({ where: { status: 'submitted' }, search: null });
  });

  it('confines a vet to their clinic', () => {
    expect(protocolConditions(query(), vetA)).toEqual({ where: { clinic: CLINIC_A }, search: null });
    expect(protocolConditions(query({ clinicId: CLINIC_A }), vetA)).toEqual({ where: { clinic: CLINIC_A }, search: null });
  });

  it("gives nothing (not an error) to a vet asking for another clinic, or a vet without one", () => {
    expect(protocolConditions(query({ clinicId: CLINIC_B }), vetA)).toBeNull();
    expect(protocolConditions(query(), { role: Role.Vet, clinicId: null })).toBeNull();
  });
});
