import type { Messages } from '../types';

/** The public verification page a report's QR code leads to (no login). */
export const verification = {
  'verify.title': { es: 'Verificación de informes', en: 'Report verification' },
  'verify.subtitle': {
    es: 'Compruebe si un informe impreso o en PDF fue emitido por el laboratorio y si sigue vigente.',
    en: 'Check whether a printed or PDF report was issued by the laboratory and is still current.',
  },
  'verify.code': { es: 'Código de verificación', en: 'Verification code' },
  'verify.codePlaceholder': { es: 'XXXX-XXXX-XXXX-XXXX', en: 'XXXX-XXXX-XXXX-XXXX' },
  'verify.submit': { es: 'Verificar', en: 'Verify' },
  'verify.loading': { es: 'Verificando el código…', en: 'Checking the code…' },
  'verify.valid.title': { es: 'Informe auténtico y vigente', en: 'Genuine and current report' },
  'verify.valid.body': {
    es: 'El laboratorio emitió este informe y es la versión vigente.',
    en: 'The laboratory issued this report, and it is the current version.',
  },
  'verify.superseded.title': { es: 'Informe reemplazado por la versión {version}', en: 'Report replaced by version {version}' },
  'verify.superseded.body': {
    es: 'El laboratorio emitió este informe, pero una versión corregida lo reemplaza. Pida la versión {version} a la clínica.',
    en: 'The laboratory issued this report, but a corrected version replaces it. Ask the clinic for version {version}.',
  },
  'verify.annulled.title': { es: 'Informe anulado', en: 'Report annulled' },
  'verify.annulled.body': {
    es: 'El laboratorio anuló este informe el {date}. Sus resultados no deben usarse.',
    en: 'The laboratory annulled this report on {date}. Its results must not be used.',
  },
  'verify.notFound.title': { es: 'Código no encontrado', en: 'Code not found' },
  'verify.notFound.body': {
    es: 'Ningún informe emitido por el laboratorio tiene este código. Compruebe que lo escribió tal como aparece al pie del informe.',
    en: 'No report issued by the laboratory has this code. Check that you typed it exactly as printed at the foot of the report.',
  },
  'verify.rateLimited.title': { es: 'Demasiadas consultas', en: 'Too many lookups' },
  'verify.rateLimited.body': {
    es: 'Se hicieron demasiadas consultas desde esta conexión. Espere un minuto y vuelva a intentarlo.',
    en: 'Too many lookups were made from this connection. Wait a minute and try again.',
  },
  'verify.error.title': { es: 'No se pudo verificar el código', en: 'The code could not be checked' },
  'verify.protocol': { es: 'Protocolo', en: 'Protocol' },
  'verify.clinic': { es: 'Clínica', en: 'Clinic' },
  'verify.signer': { es: 'Firmado por', en: 'Signed by' },
  'verify.finalizedAt': { es: 'Emitido el', en: 'Issued on' },
  'verify.version': { es: 'Versión', en: 'Version' },
  'verify.privacy': {
    es: 'Por privacidad, esta página no muestra datos del propietario ni resultados.',
    en: 'For privacy, this page shows neither owner data nor results.',
  },
} satisfies Messages;
