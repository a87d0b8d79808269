import { AnalyteKind, ResultFlag } from '@vetlab/shared';
import { DomainError } from '../common/domain-error';
import { EditableRow, planResultEdits } from './result-edits';

const rows = (): EditableRow[] => [
  { id: 'hct', analyte: { code: 'HCT', kind: AnalyteKind.Numeric }, range: { low: 37, high: 55, expected: null }, value: null, flag: null },
  { id: 'prot', analyte: { code: 'U-PROT', kind: AnalyteKind.Qualitative }, range: { low: null, high: null, expected: 'negativo' }, value: 'negativo', flag: ResultFlag.Normal },
];

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.details;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('planResultEdits', () => {
  it('computes stored fields and flags', () => {
    const plan = planResultEdits(rows(), [
      { rowId: 'hct', value: '60,2' },
      { rowId: 'prot', value: 'Positivo' },
    ]);
    expect(plan.map((c) => [c.row.id, c.fields])).toEqual([
      ['hct', { value: '60,2', numericValue: 60.2, flag: 'high' }],
      ['prot', { value: 'Positivo', numericValue: null, flag: 'abnormal' }],
    ]);
  });

  it('drops unchanged values and treats blank as clearing', () => {
    expect(planResultEdits(rows(), [{ rowId: 'prot', value: ' negativo ' }, { rowId: 'hct', value: '  ' }])).toEqual([]);
    const cleared = planResultEdits(rows(), [{ rowId: 'prot', value: null }]);
    expect(cleared[0].fields).toEqual({ value: null, numericValue: null, flag: null });
  });

  it('names every foreign, repeated or non-numeric entry at once', () => {
    expect(
      refusal(() =>
        planResultEdits(rows(), [
          { rowId: 'other', value: '1' },
          { rowId: 'hct', value: 'alto' },
          { rowId: 'prot', value: 'negativo' },
          { rowId: 'prot', value: 'positivo' },
        ]),
      ),
    ).toEqual([
      { field: 'body.results.0.rowId', message: 'not a row of this draft', code: 'unknown_reference' },
      { field: 'body.results.1.value', message: 'HCT needs a number (e.g. 12.5)', code: 'invalid_format' },
      { field: 'body.results.3.rowId', message: 'row appears more than once', code: 'invalid_value' },
    ]);
  });
});
