import { JwtService } from '@nestjs/jwt';
import { Role } from '@vetlab/shared';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { TokenService } from './token.service';

const TTL = 60;

function tokens(secret = 'a-secret-of-thirty-two-bytes!!!!') {
  const jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const config = { auth: { accessTtlSeconds: TTL } } as AppConfig;
  return { service: new TokenService(jwt, config), jwt };
}

const user = { id: '7d0c8f3e-2f4a-4c41-9a53-3f0c1f4a9b11', role: Role.Staff, clinic: null };

describe('TokenService', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies a token, then answers it again from memory without verifying', () => {
    const { service, jwt } = tokens();
    const { token } = service.issueAccessToken(user);
    const verify = jest.spyOn(jwt, 'verify');
    expect(service.verifyAccessToken(token)).toMatchObject({ sub: user.id, role: Role.Staff, clinicId: null });
    expect(service.verifyAccessToken(token)).toMatchObject({ sub: user.id });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T10:00:00Z') });
    const { service } = tokens();
    const { token } = service.issueAccessToken(user);
    expect(service.verifyAccessToken(token)).not.toBeNull();
    jest.setSystemTime(new Date(Date.now() + (TTL - 1) * 1000));
    expect(service.verifyAccessToken(token)).not.toBeNull();
    jest.setSystemTime(new Date(Date.now() + 1000));
    expect(service.verifyAccessToken(token)).toBeNull();
    expect(service.verifyAccessToken(token)).toBeNull();
  });

  it('refuses a token signed with another key, and a tampered one, every time', () => {
    const { service } = tokens();
    const { token: foreign } = tokens('another-secret-of-thirty-two-byt').service.issueAccessToken(user);
    expect(service.verifyAccessToken(foreign)).toBeNull();
    expect(service.verifyAccessToken(foreign)).toBeNull();
    const { token } = service.issueAccessToken(user);
    expect(service.verifyAccessToken(token)).not.toBeNull();
    const [head, body, sig] = token.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), role: Role.Admin })).toString('base64url')}.${sig}`;
    expect(service.verifyAccessToken(tampered)).toBeNull();
  });

  it('hands out a payload nobody can change for the next request', () => {
    const { service } = tokens();
    const { token } = service.issueAccessToken(user);
    const payload = service.verifyAccessToken(token)!;
    expect(() => Object.assign(payload, { role: Role.Admin })).toThrow();
    expect(service.verifyAccessToken(token)?.role).toBe(Role.Staff);
  });
});
