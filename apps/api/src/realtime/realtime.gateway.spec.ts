import { Logger } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { UserLookupService } from '../auth/user-lookup.service';
import { RealtimeGateway, roomsFor, VetlabServer, VetlabSocket } from './realtime.gateway';

const vet: AuthUser = { id: 'u1', email: 'v@x.test', name: 'V', role: Role.Vet, signer: false, clinicId: 'c1' };
const staff: AuthUser = { ...vet, id: 'u2', role: Role.Staff, clinicId: null };

function setup(user: AuthUser | null) {
  const fromToken = jest.fn(async (_token: string | null | undefined) => user);
  const sut = new RealtimeGateway({ fromToken } as unknown as UserLookupService);
  let middleware!: Parameters<VetlabServer['use']>[0];
  sut.afterInit({ use: (fn: typeof middleware) => (middleware = fn) } as unknown as VetlabServer);
  const run = (handshake: { auth?: Record<string, unknown>; headers?: Record<string, string> }) => {
    const socket = { id: 'sid', handshake: { auth: {}, headers: {}, ...handshake }, data: {}, join: jest.fn() };
    return new Promise<{ socket: typeof socket; error?: Error }>((resolve) =>
      middleware(socket as unknown as VetlabSocket, (error?: Error) => resolve({ socket, error })),
    );
  };
  return { sut, run, fromToken };
}

describe('roomsFor', () => {
  it('adds the clinic room for vets only', () => {
    expect(roomsFor(vet)).toEqual(['user:u1', 'role:vet', 'clinic:c1']);
    expect(roomsFor(staff)).toEqual(['user:u2', 'role:staff']);
  });
});

describe('RealtimeGateway', () => {
  it('authenticates from handshake.auth.token and joins the rooms', async () => {
    const { run, fromToken } = setup(vet);
    const { socket, error } = await run({ auth: { token: 'abc' } });
    expect(error).toBeUndefined();
    expect(fromToken).toHaveBeenCalledWith('abc');
    expect(socket.data).toEqual({ user: vet });
    expect(socket.join).toHaveBeenCalledWith(['user:u1', 'role:vet', 'clinic:c1']);
  });

  it('falls back to the Authorization header', async () => {
    const { run, fromToken } = setup(staff);
    await run({ headers: { authorization: 'Bearer xyz' } });
    expect(fromToken).toHaveBeenCalledWith('xyz');
  });

  it('refuses an unknown token, and a lookup that throws', async () => {
    expect((await setup(null).run({ auth: { token: 'bad' } })).error?.message).toBe('unauthorized');
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const broken = setup(vet);
    broken.fromToken.mockRejectedValueOnce(new Error('db down'));
    const { error, socket } = await broken.run({ auth: { token: 'abc' } });
    expect(error?.message).toBe('unauthorized');
    expect(socket.join).not.toHaveBeenCalled();
  });

  it('whoami answers the rooms without the socket id room', () => {
    const { sut } = setup(vet);
    const socket = { id: 'sid', rooms: new Set(['sid', 'user:u1', 'role:vet']) } as unknown as VetlabSocket;
    expect(sut.whoami(socket)).toEqual(['user:u1', 'role:vet']);
  });
});
