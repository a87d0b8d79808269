import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { UserView } from '@vetlab/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { SignatureCard } from './signature-card';

const SIGNER: UserView = { id: 'u-signer', email: 'firma@lab.test', name: 'Dr. Firmante', role: 'staff', signer: true, clinic: null, active: true, createdAt: '2026-01-01T00:00:00.000Z', hasSignature: true };
const png = () => new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { status: 200, headers: { 'Content-Type': 'image/png' } });
const fileInput = () => document.querySelector('input[type="file"]') as HTMLInputElement;
const choose = (file: File) => fireEvent.change(fileInput(), { target: { files: [file] } });

beforeAll(() => {
  // jsdom has no object URLs.
  URL.createObjectURL ??= () => 'blob:signature';
  URL.revokeObjectURL ??= () => undefined;
});

describe('SignatureCard', () => {
  it('shows the stored image fetched with the session token', async () => {
    const seen: (string | null)[] = [];
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      seen.push(new Headers(init?.headers).get('Authorization'));
      return url.pathname === '/api/users/u-signer/signature' ? png() : json({}, 404);
    });
    renderWithProviders(<SignatureCard user={SIGNER} />, { api });
    expect(await screen.findByTestId('signature-image')).toHaveAttribute('alt', 'Firma de Dr. Firmante');
    expect(seen).toContain('Bearer token');
  });

  it('checks type and size before sending; sends the file as the body and reports the change', async () => {
    const puts: RequestInit[] = [];
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      if (init?.method === 'PUT') {
        puts.push(init);
        return json({ ...SIGNER, hasSignature: true });
      }
      return json({}, 404);
    });
    const changed: UserView[] = [];
    renderWithProviders(<SignatureCard user={{ ...SIGNER, hasSignature: false }} onChanged={(u) => changed.push(u)} />, { api });
    expect(screen.getByText(/No hay firma guardada/)).toBeInTheDocument();

    choose(new File(['hola'], 'firma.txt', { type: 'text/plain' }));
    expect(await screen.findByTestId('signature-error')).toHaveTextContent('Elija una imagen PNG o JPEG.');
    choose(new File([new Uint8Array(600 * 1024)], 'firma.png', { type: 'image/png' }));
    expect(await screen.findByTestId('signature-error')).toHaveTextContent('La imagen pesa 600 KB; el máximo es 500 KB.');
    expect(puts).toHaveLength(0);

    choose(new File([new Uint8Array([0x89, 0x50])], 'firma.png', { type: 'image/png' }));
    await waitFor(() => expect(changed).toHaveLength(1));
    expect(puts[0].body).toBeInstanceOf(File);
    expect(new Headers(puts[0].headers).get('Content-Type')).toBe('image/png');
  });

  it('words the server’s refusal from its code', async () => {
    const { api } = await signedInApi(USERS.admin, (_url, init) =>
      init?.method === 'PUT' ? json({ statusCode: 415, error: 'Unsupported Media Type', message: 'body: the file is not a PNG or JPEG image', code: 'UNSUPPORTED_MEDIA_TYPE' }, 415) : json({}, 404),
    );
    renderWithProviders(<SignatureCard user={{ ...SIGNER, hasSignature: false }} />, { api });
    choose(new File(['not really'], 'firma.png', { type: 'image/png' }));
    expect(await screen.findByTestId('signature-error')).toHaveTextContent('El archivo no es una imagen PNG o JPEG que se pueda leer.');
  });
});
