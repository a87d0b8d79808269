import type { Messages } from '../types';

/** Shell, session and shared words. */
export const common = {
  'app.name': { es: 'vetlab', en: 'vetlab' },
  'app.loading': { es: 'Cargando…', en: 'Loading…' },
  'app.error': { es: 'Algo salió mal', en: 'Something went wrong' },
  'app.retry': { es: 'Reintentar', en: 'Retry' },
  'app.notFound': { es: 'Página no encontrada', en: 'Page not found' },
  'app.back': { es: 'Volver', en: 'Back' },
  'app.cancel': { es: 'Cancelar', en: 'Cancel' },
  'app.save': { es: 'Guardar', en: 'Save' },
  'app.confirm': { es: 'Confirmar', en: 'Confirm' },
  'app.language': { es: 'Idioma', en: 'Language' },
  'nav.protocols': { es: 'Protocolos', en: 'Protocols' },
  'nav.intake': { es: 'Recepción', en: 'Intake' },
  'nav.newProtocol': { es: 'Nuevo protocolo', en: 'New protocol' },
  'auth.email': { es: 'Correo electrónico', en: 'E-mail' },
  'auth.password': { es: 'Contraseña', en: 'Password' },
  'auth.login': { es: 'Iniciar sesión', en: 'Sign in' },
  'auth.logout': { es: 'Cerrar sesión', en: 'Sign out' },
  'auth.expired': { es: 'Tu sesión expiró; inicia sesión para continuar.', en: 'Your session expired; sign in to continue.' },
  'role.vet': { es: 'Veterinario/a', en: 'Veterinarian' },
  'role.staff': { es: 'Laboratorio', en: 'Lab staff' },
  'role.admin': { es: 'Administración', en: 'Administrator' },
  'live.connected': { es: 'En vivo', en: 'Live' },
  'live.connecting': { es: 'Conectando…', en: 'Connecting…' },
  'live.disconnected': { es: 'Sin conexión', en: 'Offline' },
} satisfies Messages;
