import type { Messages } from '../types';

/** A vet's persistent notices (the bell): what each says, by kind; counts are `_one` / `_other` pairs. */
export const notices = {
  'notices.title': { es: 'Avisos', en: 'Notices' },
  'notices.open': { es: 'Avisos', en: 'Notices' },
  'notices.new': { es: 'Nuevo aviso', en: 'New notice' },
  'notices.newCount_one': { es: '{count} aviso nuevo', en: '{count} new notice' },
  'notices.newCount_other': { es: '{count} avisos nuevos', en: '{count} new notices' },
  'notices.unread_one': { es: '{count} aviso sin leer', en: '{count} unread notice' },
  'notices.unread_other': { es: '{count} avisos sin leer', en: '{count} unread notices' },
  'notices.markAllRead': { es: 'Marcar todo como leído', en: 'Mark all read' },
  'notices.markRead': { es: 'Marcar como leído', en: 'Mark read' },
  'notices.empty': { es: 'No tienes avisos', en: 'You have no notices' },
  'notices.emptyHint': {
    es: 'Aquí verás cuándo el laboratorio recibe o rechaza un protocolo de tu clínica y cuándo emite, corrige o anula un informe.',
    en: 'Here you will see when the lab receives or rejects a protocol of your clinic and when it issues, corrects or annuls a report.',
  },
  'notices.more': { es: 'Ver más', en: 'Show more' },
  'notices.loadError': { es: 'No se pudieron cargar los avisos', en: 'Could not load the notices' },
  'notices.open.protocol': { es: 'Ver protocolo', en: 'Open protocol' },
  'notices.open.report': { es: 'Ver informe', en: 'Open report' },
  'notices.reason': { es: 'Motivo: {reason}', en: 'Reason: {reason}' },
  'notices.kind.report_finalized': { es: 'Informe de {code} listo (versión {version})', en: 'Report for {code} ready (version {version})' },
  'notices.kind.report_corrected': { es: 'Informe de {code} corregido: nueva versión {version}', en: 'Report for {code} corrected: new version {version}' },
  'notices.kind.report_annulled': { es: 'Informe de {code} anulado (versión {version})', en: 'Report for {code} annulled (version {version})' },
  'notices.kind.protocol_received': { es: 'El laboratorio recibió el protocolo {code}', en: 'The lab received protocol {code}' },
  'notices.kind.protocol_rejected': { es: 'El laboratorio rechazó el protocolo {code}', en: 'The lab rejected protocol {code}' },
} satisfies Messages;
