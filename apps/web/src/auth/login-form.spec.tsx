import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-client';
import { renderWithProviders } from '../testing/render';
import { LoginForm } from './login-form';

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Correo electrónico'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Contraseña'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
}

describe('LoginForm', () => {
  it('checks the email with the shared schema before sending anything', async () => {
    const onLogin = vi.fn();
    renderWithProviders(<LoginForm onLogin={onLogin} />);
    fill('no-es-un-correo', 'secreto');
    expect(await screen.findByRole('alert')).toHaveTextContent('Ingresa un correo electrónico válido.');
    expect(onLogin).not.toHaveBeenCalled();
  });

  it('asks for the password when it is empty', async () => {
    const onLogin = vi.fn();
    renderWithProviders(<LoginForm onLogin={onLogin} />);
    fill('ana@lab.test', '');
    expect(await screen.findByRole('alert')).toHaveTextContent('Ingresa tu contraseña.');
    expect(onLogin).not.toHaveBeenCalled();
  });

  it('sends the normalised credentials and explains a refusal', async () => {
    const onLogin = vi.fn().mockRejectedValue(new ApiError(401, null));
    renderWithProviders(<LoginForm onLogin={onLogin} />);
    fill('Ana@Lab.Test', 'secreto');
    expect(await screen.findByRole('alert')).toHaveTextContent('Correo o contraseña incorrectos.');
    expect(onLogin).toHaveBeenCalledWith({ email: 'ana@lab.test', password: 'secreto' });
    expect(screen.getByRole('button', { name: 'Ingresar' })).toBeEnabled();
  });

  it('tells a rate limit and an unreachable server apart', async () => {
    const onLogin = vi.fn().mockRejectedValueOnce(new ApiError(429, null)).mockRejectedValueOnce(new TypeError('Failed to fetch'));
    renderWithProviders(<LoginForm onLogin={onLogin} />);
    fill('ana@lab.test', 'secreto');
    expect(await screen.findByRole('alert')).toHaveTextContent('Demasiados intentos');
    fireEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByText('No se pudo conectar con el servidor.')).toBeInTheDocument();
  });
});
