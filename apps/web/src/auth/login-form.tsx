import { LoginRequest } from '@vetlab/shared';
import { FormEvent, useState } from 'react';
import { ApiError } from '../api/api-client';

interface Props {
  onLogin: (credentials: LoginRequest) => Promise<unknown>;
}

/** Email and password; the shared schema checks the form before it is sent. */
export function LoginForm({ onLogin }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = LoginRequest.safeParse({ email, password });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      setError(field === 'email' ? 'Ingrese un correo electrónico válido.' : 'Ingrese su contraseña.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onLogin(parsed.data);
    } catch (err) {
      setError(loginErrorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">vetlab</h1>
        <p className="muted">Laboratorio de diagnóstico veterinario</p>
        <label>
          Correo electrónico
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Contraseña
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Ingresando…' : 'Ingresar'}
        </button>
      </form>
    </main>
  );
}

export function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'Correo o contraseña incorrectos.';
    if (err.status === 429) return 'Demasiados intentos. Espere unos minutos y vuelva a intentar.';
    if (err.status === 400) return 'Revise el correo y la contraseña.';
    return `El servidor respondió con un error (${err.status}).`;
  }
  return 'No se pudo conectar con el servidor.';
}
