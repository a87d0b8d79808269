import { CreateProtocolRequest, ProtocolDetail } from '@vetlab/shared';
import { Fixtures } from './fixtures';
import { bearer } from './auth';
import { TestApp } from './test-app';

/** A valid intake body (a dog, CBC + chemistry); override any part. */
export function protocolBody(f: Fixtures, over: Partial<CreateProtocolRequest> = {}): CreateProtocolRequest {
  return {
    animal: { name: 'Firulais', species: 'dog', breed: 'Mestizo', sex: 'male', ageMonths: 36 },
    owner: { name: 'María Gómez', phone: '+54 11 5555-0000', email: 'maria@example.test' },
    samples: [{ type: 'whole_blood_edta', count: 1 }, { type: 'serum', count: 1 }],
    panelIds: [f.panels.cbc.id, f.panels.chem.id],
    priority: 'routine',
    ...over,
  };
}

/** Submits through HTTP and expects 201; returns the detail. */
export async function submitProtocol(t: TestApp, token: string, body: CreateProtocolRequest): Promise<ProtocolDetail> {
  const res = await t.http().post('/api/protocols').set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ProtocolDetail;
}
