import { Priority, SampleType, Section } from '@vetlab/shared';
import { DomainError } from '../common/domain-error';
import { planWorkOrderEdit, WorkOrderContent } from './work-order-edits';

const current = (): WorkOrderContent => ({
  priority: Priority.Routine,
  instructions: null,
  sections: [
    { section: Section.Hematology, sampleType: SampleType.WholeBloodEdta, requirement: 'EDTA', analytes: [{ code: 'HCT', name: 'Hematocrito' }] },
    { section: Section.Biochemistry, sampleType: SampleType.Serum, requirement: 'suero', analytes: [{ code: 'GLU', name: 'Glucosa' }] },
  ],
});

describe('planWorkOrderEdit', () => {
  it('changes only what differs and records before/after of those fields', () => {
    const wo = current();
    const plan = planWorkOrderEdit(wo, {
      priority: Priority.Stat,
      instructions: 'urgente',
      requirements: [
        { section: Section.Biochemistry, requirement: '1 ml de suero' },
        { section: Section.Hematology, requirement: 'EDTA' },
      ],
    });
    expect(plan.changes.priority).toBe(Priority.Stat);
    expect(plan.changes.instructions).toBe('urgente');
    expect(plan.changes.sections?.map((s) => s.requirement)).toEqual(['EDTA', '1 ml de suero']);
    expect(plan.before).toEqual({ priority: 'routine', instructions: null, requirements: { bioquimica_serica: 'suero' } });
    expect(plan.after).toEqual({ priority: 'stat', instructions: 'urgente', requirements: { bioquimica_serica: '1 ml de suero' } });
    // The current content is not mutated: the entity changes only when the plan is applied.
    expect(wo.sections[1].requirement).toBe('suero');
  });

  it('plans nothing for a restatement; an empty instruction clears it', () => {
    expect(planWorkOrderEdit(current(), { priority: Priority.Routine, instructions: null })).toEqual({ changes: {}, before: {}, after: {} });
    const cleared = planWorkOrderEdit({ ...current(), instructions: 'x' }, { instructions: '' });
    expect(cleared.changes).toEqual({ instructions: null });
  });

  it('names the entry whose section the work order does not have', () => {
    try {
      planWorkOrderEdit(current(), { requirements: [{ section: Section.Hematology, requirement: 'a' }, { section: Section.Serology, requirement: 'b' }] });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details).toEqual([{ field: 'body.requirements.1.section', message: 'this work order has no serologia section', code: 'unknown_reference' }]);
    }
  });
});
