import { IdSchema, isId } from './common';

describe('isId', () => {
  it('accepts exactly what the API accepts as an id', () => {
    const cases: unknown[] = [
      '00000000-0000-4000-8000-00000000dead',
      'A2E5D709-8199-44CF-B966-E24ADFAAE2BB',
      '123e4567-e89b-92d3-a456-426614174000', // no such UUID version
      '2e5d709d8199-44cf-b966-e24adfaae2bb',
      'not-an-id',
      '',
      7,
      null,
      ['00000000-0000-4000-8000-00000000dead'],
    ];
    expect(cases.map(isId)).toEqual([true, true, false, false, false, false, false, false, false]);
    expect(cases.map(isId)).toEqual(cases.map((c) => IdSchema.safeParse(c).success));
  });
});
