import type { AnyErrorCode, FieldErrorCode } from '@vetlab/shared';
import type { Locale } from '../types';

/**
 * The SPA's own words for every stable error `code` the API sends (libs/shared `ErrorCode`,
 * `ConflictCode`, `UnavailableCode`) and for every field code of a 400's details. A code without
 * both texts is a type error here; the server's English `message` is never shown.
 */
const CODES: Record<AnyErrorCode, Record<Locale, string>> = {
  VALIDATION_FAILED: { es: 'Hay datos no válidos; revisa los campos marcados.', en: 'Some data is not valid; check the marked fields.' },
  MALFORMED_BODY: { es: 'La petición llegó dañada. Vuelve a intentarlo.', en: 'The request arrived damaged. Please try again.' },
  PAYLOAD_TOO_LARGE: { es: 'Lo enviado es demasiado grande.', en: 'What you sent is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { es: 'El servidor no acepta este tipo de contenido.', en: 'The server does not accept this kind of content.' },
  BAD_REQUEST: { es: 'La petición no es válida.', en: 'The request is not valid.' },
  UNAUTHENTICATED: { es: 'Tu sesión no es válida; vuelve a iniciar sesión.', en: 'Your session is not valid; please sign in again.' },
  INVALID_CREDENTIALS: { es: 'Correo o contraseña incorrectos.', en: 'Wrong e-mail or password.' },
  SESSION_ENDED: { es: 'Tu sesión terminó; vuelve a iniciar sesión.', en: 'Your session has ended; please sign in again.' },
  FORBIDDEN: { es: 'No tienes permiso para esta acción.', en: 'You are not allowed to do this.' },
  NOT_FOUND: { es: 'No existe o no tienes acceso.', en: 'It does not exist or you have no access to it.' },
  REPORT_VERSION_ALREADY_ANNULLED: { es: 'Esta versión ya está anulada.', en: 'This version is annulled already.' },
  REPORT_VERSION_NOT_ANNULLABLE: { es: 'Solo se puede anular una versión finalizada.', en: 'Only a finalized version can be annulled.' },
  REPORT_NOT_AMENDABLE: {
    es: 'El informe tiene ya una versión abierta o ha cambiado; recárguelo.',
    en: 'The report already has an open version, or it changed; reload it.',
  },
  CONFLICT: { es: 'No se pudo aplicar: su estado no lo permite.', en: 'It could not be applied: its current state does not allow it.' },
  STALE: {
    es: 'Otra persona lo modificó mientras lo veías. Recarga y vuelve a aplicar tu cambio.',
    en: 'Someone else changed it while you were looking. Reload it and apply your change again.',
  },
  ALREADY_EXISTS: { es: 'Ya existe un registro con ese valor.', en: 'A record with that value already exists.' },
  PASSWORD_LINK_INVALID: {
    es: 'El enlace ya se usó o caducó. Pide al laboratorio uno nuevo.',
    en: 'The link was used already or has expired. Ask the lab for a new one.',
  },
  RATE_LIMITED: { es: 'Demasiados intentos. Espera un poco y vuelve a intentarlo.', en: 'Too many attempts. Wait a little and try again.' },
  INTERNAL_ERROR: { es: 'Error inesperado del servidor. Si se repite, avisa al laboratorio.', en: 'Unexpected server error. If it happens again, tell the laboratory.' },
  QUEUE_UNAVAILABLE: { es: 'Las colas (Redis) no responden; inténtalo en unos segundos.', en: 'The queues (Redis) are not answering; try again in a few seconds.' },
  DATABASE_UNAVAILABLE: { es: 'La base de datos no responde; inténtalo en unos segundos.', en: 'The database is not answering; try again in a few seconds.' },
  DATABASE_BUSY: { es: 'La base de datos está ocupada; inténtalo en unos segundos.', en: 'The database is busy; try again in a few seconds.' },
  RATE_LIMITER_UNAVAILABLE: { es: 'El inicio de sesión no está disponible ahora; inténtalo en unos segundos.', en: 'Signing in is not available right now; try again in a few seconds.' },
  STORAGE_UNAVAILABLE: { es: 'El almacenamiento de archivos no responde; inténtalo en unos segundos.', en: 'The file storage is not answering; try again in a few seconds.' },
  DISK_FULL: {
    es: 'El disco del servidor está lleno: no se puede guardar nada nuevo hasta que un administrador libere espacio. Avisa al administrador.',
    en: 'The server’s disk is full: nothing new can be saved until an administrator frees space. Tell your administrator.',
  },
  BULK_RUN_NOT_RESUMABLE: { es: 'Esta acción masiva ya no se puede reanudar.', en: 'This bulk action can no longer be resumed.' },
  MAIL_ALREADY_SENT: { es: 'Este correo ya se envió: no se manda dos veces.', en: 'This mail was already sent: it never goes twice.' },
  MAIL_NOT_RESENDABLE: { es: 'Este correo no se puede reenviar ahora.', en: 'This mail cannot be sent again now.' },
  MAIL_CHANGED: { es: 'El correo cambió mientras tanto; la lista se actualizó.', en: 'The mail changed meanwhile; the list was refreshed.' },
  JOB_NOT_RETRYABLE: { es: 'Este trabajo ya no está fallido: no se puede reintentar.', en: 'This job is no longer failed: it cannot be retried.' },
  JOB_NOT_DISCARDABLE: { es: 'Este trabajo ya no se puede descartar.', en: 'This job can no longer be discarded.' },
  JOB_NOT_DELAYED: { es: 'Este trabajo ya no está diferido.', en: 'This job is no longer delayed.' },
  JOB_NOT_STUCK: { es: 'Este trabajo ya no está atascado.', en: 'This job is no longer stuck.' },
  QUEUE_NOT_PAUSED: { es: 'La cola ya no estaba en pausa.', en: 'The queue was not paused any more.' },
  QUEUE_ALREADY_PAUSED: { es: 'La cola ya está en pausa.', en: 'The queue is paused already.' },
  PROTOCOL_ALREADY_IN_STATUS: { es: 'Otra persona ya hizo este cambio.', en: 'Someone else already made this change.' },
  PROTOCOL_TRANSITION_NOT_ALLOWED: { es: 'Su estado cambió y esta acción ya no es posible.', en: 'Its status changed and this action is no longer possible.' },
};

/** Words for one field of a 400; `{n}` is the bound a size rule broke. */
const FIELDS: Record<FieldErrorCode, Record<Locale, string>> = {
  required: { es: 'Obligatorio', en: 'Required' },
  invalid_type: { es: 'Valor no válido', en: 'Invalid value' },
  invalid_format: { es: 'Formato no válido', en: 'Invalid format' },
  invalid_value: { es: 'Valor no válido', en: 'Invalid value' },
  too_small: { es: 'Por debajo del mínimo ({n})', en: 'Below the minimum ({n})' },
  too_big: { es: 'Por encima del máximo ({n})', en: 'Above the maximum ({n})' },
  not_multiple_of: { es: 'Valor no válido', en: 'Invalid value' },
  unrecognized_keys: { es: 'Campos que no se esperaban', en: 'Unexpected fields' },
  unknown_reference: { es: 'No existe (puede que se haya borrado)', en: 'Does not exist (it may have been removed)' },
  not_allowed: { es: 'No permitido', en: 'Not allowed' },
  custom: { es: 'Valor no válido', en: 'Invalid value' },
  too_common: { es: 'Es una contraseña demasiado común; elige otra', en: 'Too common a password; choose another' },
  incorrect: { es: 'No es correcta', en: 'Not correct' },
  taken: { es: 'Ya está en uso', en: 'Already in use' },
};

const prefixed = <P extends string, K extends string>(prefix: P, entries: Record<K, Record<Locale, string>>) =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}${k}`, v])) as Record<`${P}${K}`, Record<Locale, string>>;

export const errors = {
  ...prefixed('error.code.', CODES),
  ...prefixed('error.field.', FIELDS),
  'error.http': { es: 'El servidor respondió con un error ({status}).', en: 'The server answered with an error ({status}).' },
  'error.network': { es: 'No hay conexión con el servidor.', en: 'The server cannot be reached.' },
};
