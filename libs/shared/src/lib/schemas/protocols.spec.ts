import { ProtocolFilter, ProtocolListQuery, CreateProtocolRequest } from './protocols';
import { LoginRequest } from './auth';
import { PageQuery } from './common';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const validProtocol = () => ({
  animal: { name: 'Firulais', species: 'dog' },
  owner: { name: 'María Pérez' },
  samples: [{ type: 'serum', count: 1 }],
  panelIds: [uuid(1)],
});

/** The dotted paths of every issue: what the API's 400 names as `details[].field`. */
const paths = (input: unknown) => {
  const r = CreateProtocolRequest.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('CreateProtocolRequest', () => {
  it('accepts a minimal protocol and fills the defaults', () => {
    const r = CreateProtocolRequest.parse(validProtocol());
    expect(r.priority).toBe('routine');
    expect(r.animal.sex).toBe('unknown');
    expect(r.animal.name).toBe('Firulais');
  });

  it('trims text fields', () => {
    const r = CreateProtocolRequest.parse({ ...validProtocol(), owner: { name: '  Ana  ', phone: ' 123 ' } });
    expect(r.owner).toMatchObject({ name: 'Ana', phone: '123' });
  });

  it('names the nested path of each bad field', () => {
    const input = {
      ...validProtocol(),
      clinicId: 'clinic-1',
      animal: { name: '   ', species: 'lizard', ageMonths: -1 },
      owner: { name: 'Ana', email: 'not-an-email' },
      samples: [{ type: 'serum', count: 0 }],
    };
    expect(paths(input).sort()).toEqual(
      ['animal.ageMonths', 'animal.name', 'animal.species', 'clinicId', 'owner.email', 'samples.0.count'].sort(),
    );
  });

  it('names missing required objects and lists', () => {
    expect(paths({}).sort()).toEqual(['animal', 'owner', 'panelIds', 'samples']);
  });

  it('refuses empty and repeated panel lists, and empty sample lists', () => {
    expect(paths({ ...validProtocol(), panelIds: [] })).toEqual(['panelIds']);
    expect(paths({ ...validProtocol(), panelIds: [uuid(1), uuid(1)] })).toEqual(['panelIds']);
    expect(paths({ ...validProtocol(), panelIds: [uuid(1), 'x'] })).toEqual(['panelIds.1']);
    expect(paths({ ...validProtocol(), samples: [] })).toEqual(['samples']);
    expect(paths({ ...validProtocol(), samples: [{ type: 'blood', count: 1 }] })).toEqual(['samples.0.type']);
  });

  it('refuses a priority outside the enum', () => {
    expect(paths({ ...validProtocol(), priority: 'asap' })).toEqual(['priority']);
  });
});

describe('ProtocolListQuery', () => {
  it('defaults page, page size and sort (newest first)', () => {
    expect(ProtocolListQuery.parse({})).toEqual({ page: 1, pageSize: 25, sort: '-createdAt' });
  });

  it('coerces paging from query strings and bounds it', () => {
    expect(ProtocolListQuery.parse({ page: '3', pageSize: '50' })).toMatchObject({ page: 3, pageSize: 50 });
    for (const bad of [{ page: '0' }, { pageSize: '201' }, { page: 'x' }, { page: '1.5' }]) {
      expect(ProtocolListQuery.safeParse(bad).success).toBe(false);
    }
  });

  it('splits a comma-separated status list', () => {
    expect(ProtocolListQuery.parse({ status: 'submitted,in_analysis' }).status).toEqual(['submitted', 'in_analysis']);
    expect(ProtocolListQuery.parse({ status: 'rejected' }).status).toEqual(['rejected']);
    expect(ProtocolListQuery.parse({ status: '' }).status).toBeUndefined();
  });

  it('names status when one of the listed statuses is unknown', () => {
    const r = ProtocolListQuery.safeParse({ status: 'submitted,lost' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path[0]).toBe('status');
  });

  it.each(['code', '-code', 'createdAt', '-receivedAt', 'animalName', 'ownerName', 'species', 'status'])(
    'accepts sort=%s',
    (sort) => expect(ProtocolListQuery.parse({ sort }).sort).toBe(sort),
  );

  it.each(['', 'clinic', '--code', 'code,-createdAt', '+code', 'CODE'])('refuses sort=%j naming the field and the choices', (sort) => {
    const r = ProtocolListQuery.safeParse({ sort });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['sort']);
    expect(r.error?.issues[0].message).toMatch(/must be one of code, createdAt/);
  });

  it('validates the other filters', () => {
    expect(ProtocolListQuery.parse({ species: 'cat', from: '2026-01-01', to: '2026-01-31T23:59:59Z', q: ' Fir ' })).toMatchObject({
      species: 'cat',
      from: '2026-01-01',
      q: 'Fir',
    });
    for (const [field, value] of [['species', 'lizard'], ['clinicId', 'abc'], ['from', '01/02/2026']] as const) {
      const r = ProtocolListQuery.safeParse({ [field]: value });
      expect(r.error?.issues[0].path).toEqual([field]);
    }
  });

  it('ProtocolFilter drops paging and sort', () => {
    expect(ProtocolFilter.parse({ page: '2', sort: 'code', status: 'received' })).toEqual({ status: ['received'] });
  });
});

describe('PageQuery and LoginRequest', () => {
  it('PageQuery defaults', () => expect(PageQuery.parse({})).toEqual({ page: 1, pageSize: 25 }));

  it('LoginRequest lower-cases the email and names the bad field', () => {
    expect(LoginRequest.parse({ email: 'Ana@Lab.Test', password: 'x' }).email).toBe('ana@lab.test');
    const r = LoginRequest.safeParse({ email: 'ana', password: '' });
    expect(r.error?.issues.map((i) => i.path[0]).sort()).toEqual(['email', 'password']);
  });
});
