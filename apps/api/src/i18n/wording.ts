import { Priority, ProtocolStatus, ReportLanguage, ResultFlag, Section } from '@vetlab/shared';

/**
 * Every fixed word of what vetlab sends a clinic (report PDF, work-order PDF, mails), one entry per
 * report language: a clinic's documents follow its `reportLanguage`. A missing translation is a
 * type error (every language has the same `Wording`). Dates and numbers are formatted by
 * `formatsFor` below, per language.
 */
export interface Wording {
  /** BCP 47 tag written into the PDFs and used for dates and plurals. */
  locale: string;
  species: Record<string, string>;
  sex: Record<string, string>;
  sections: Record<string, string>;
  sampleTypes: Record<string, string>;
  priorities: Record<Priority, string>;
  /** The lab's standard sample requirement of each section (work orders keep the Spanish one). */
  requirements: Record<Section, string>;
  /** Out-of-range marks printed after a value (the standard PDF fonts have no arrows). */
  flags: Partial<Record<ResultFlag, string>>;
  /** Words of counted things: "1 mes" / "2 meses". */
  counted: Record<'month' | 'year' | 'protocol', { one: string; other: string }>;
  ageJoin: string;
  doc: {
    protocolHeading: string;
    patientHeading: string;
    requesterHeading: string;
    code: string;
    requested: string;
    received: string;
    name: string;
    species: string;
    breed: string;
    sex: string;
    age: string;
    owner: string;
    clinic: string;
    vet: string;
    /** "Protocolo P-2026-000042" under the letterhead's title. */
    protocol: (code: string) => string;
    continued: string;
    page: (page: number, total: number) => string;
  };
  report: {
    title: string;
    issued: string;
    version: string;
    versionLabel: (version: number, supersedes: number | null) => string;
    observations: string;
    validation: string;
    validatedBy: (signer: string, when: string) => string;
    verificationCode: string;
    verificationCodeNote: string;
    outOfRangeNote: string;
    scopeNote: string;
    signerRole: string;
    columns: { name: string; result: string; unit: string; reference: string };
    running: (code: string, animal: string, species: string) => string;
    issuedOn: (date: string) => string;
    docTitle: (code: string, animal: string) => string;
    docSubject: (versionLabel: string) => string;
    /** The note of a correction (version n+1) under the letterhead: what it replaces and why. */
    replaces: (version: number, reason: string) => string;
    /** The stamp across every page of an annulled version (bilingual on purpose: it must read at a glance). */
    voidMark: string;
    voidNote: (date: string, reason: string) => string;
    /** Appended to an annulled version's PDF file name: P-2026-000042-v1-anulado.pdf. */
    voidFilenameSuffix: string;
  };
  workOrder: {
    title: string;
    priority: string;
    samples: string;
    priorityBanner: (priority: string) => string;
    instructions: string;
    requestedAnalyses: (count: number) => string;
    sample: string;
    versionLine: (version: number, when: string) => string;
    footer: (code: string, version: number, lab: string) => string;
    docTitle: (code: string) => string;
    docSubject: (version: number) => string;
  };
  mail: {
    greeting: string;
    closing: string;
    reportSubject: (code: string, animal: string, version: number, supersedes: number | null) => string;
    reportAttached: (code: string, animal: string, version: number) => string;
    reportReplaces: (supersedes: number) => string;
    verificationCode: (code: string) => string;
    /** What a protocol became, in a bulk run's digest. */
    status: Record<ProtocolStatus, string>;
    /** `protocols` is the counted "2 protocolos"; `one` whether it is singular (adjectives agree). */
    digestSubject: (protocols: string, one: boolean, rejected: boolean, clinic: string) => string;
    digestIntro: (protocols: string, one: boolean, clinic: string, status: string) => string;
    reason: (reason: string) => string;
    /** The mail that tells a clinic a version was annulled (`date` formatted by `formatsFor`). */
    annulledSubject: (code: string, animal: string, version: number) => string;
    annulledBody: (code: string, animal: string, version: number, date: string) => string;
    annulledAttached: string;
  };
}

const es: Wording = {
  locale: 'es-ES',
  species: { dog: 'Perro', cat: 'Gato', horse: 'Caballo', cow: 'Bovino' },
  sex: { male: 'Macho', female: 'Hembra', unknown: 'Desconocido' },
  sections: {
    hemograma: 'Hemograma',
    bioquimica_serica: 'Bioquímica sérica',
    urianalisis: 'Urianálisis',
    coagulacion: 'Coagulación',
    endocrinologia: 'Endocrinología',
    parasitologia: 'Parasitología',
    serologia: 'Serología',
  },
  sampleTypes: {
    whole_blood_edta: 'Sangre entera (EDTA)',
    serum: 'Suero',
    plasma: 'Plasma',
    urine: 'Orina',
    feces: 'Heces',
    swab: 'Hisopo',
    tissue: 'Tejido',
  },
  priorities: { [Priority.Routine]: 'Rutina', [Priority.Urgent]: 'Urgente', [Priority.Stat]: 'STAT (inmediata)' },
  requirements: {
    [Section.Hematology]: '1 ml de sangre entera con EDTA, refrigerada, < 24 h',
    [Section.Coagulation]: '1 ml de plasma citratado, congelado si > 4 h',
    [Section.Biochemistry]: '0,5 ml de suero sin hemólisis, refrigerado',
    [Section.Endocrinology]: '0,5 ml de suero, refrigerado',
    [Section.Urinalysis]: '5 ml de orina por cistocentesis, refrigerada, < 12 h',
    [Section.Parasitology]: '5 g de materia fecal fresca',
    [Section.Serology]: '0,5 ml de suero',
  },
  flags: { [ResultFlag.High]: 'alto', [ResultFlag.Low]: 'bajo', [ResultFlag.Abnormal]: 'anormal' },
  counted: {
    month: { one: 'mes', other: 'meses' },
    year: { one: 'año', other: 'años' },
    protocol: { one: 'protocolo', other: 'protocolos' },
  },
  ageJoin: ' y ',
  doc: {
    protocolHeading: 'PROTOCOLO',
    patientHeading: 'PACIENTE',
    requesterHeading: 'SOLICITANTE',
    code: 'Código',
    requested: 'Solicitud',
    received: 'Recepción',
    name: 'Nombre',
    species: 'Especie',
    breed: 'Raza',
    sex: 'Sexo',
    age: 'Edad',
    owner: 'Propietario',
    clinic: 'Clínica',
    vet: 'Veterinario/a',
    protocol: (code) => `Protocolo ${code}`,
    continued: ' (cont.)',
    page: (page, total) => `página ${page} de ${total}`,
  },
  report: {
    title: 'INFORME DE RESULTADOS',
    issued: 'Emisión',
    version: 'Versión',
    versionLabel: (v, s) => (s ? `Versión ${v} — reemplaza a la versión ${s}` : `Versión ${v}`),
    observations: 'Observaciones',
    validation: 'Validación',
    validatedBy: (signer, when) => `Informe validado electrónicamente por ${signer} el ${when}.`,
    verificationCode: 'Código de verificación',
    verificationCodeNote: '. Identifica el contenido de esta versión del informe.',
    outOfRangeNote: 'Los valores fuera del intervalo de referencia se muestran en negrita y marcados como alto, bajo o anormal.',
    scopeNote: 'Los resultados se refieren exclusivamente a la muestra recibida. Este informe solo puede reproducirse de forma íntegra.',
    signerRole: 'Responsable de validación',
    columns: { name: 'Análisis', result: 'Resultado', unit: 'Unidad', reference: 'Valores de referencia' },
    running: (code, animal, species) => `Informe de resultados · Protocolo ${code} · ${animal} (${species})`,
    issuedOn: (date) => `Emitido el ${date}`,
    docTitle: (code, animal) => `Informe ${code} — ${animal}`,
    docSubject: (version) => `Informe de resultados, ${version}`,
    replaces: (v, reason) => `Reemplaza a la versión ${v}. Motivo: ${reason}`,
    voidMark: 'ANULADO / VOID',
    voidNote: (date, reason) => `Versión anulada el ${date}. Motivo: ${reason}`,
    voidFilenameSuffix: 'anulado',
  },
  workOrder: {
    title: 'ORDEN DE TRABAJO',
    priority: 'Prioridad',
    samples: 'Muestras',
    priorityBanner: (p) => `PRIORIDAD: ${p}`,
    instructions: 'Instrucciones',
    requestedAnalyses: (n) => `Análisis solicitados (${n})`,
    sample: 'Muestra: ',
    versionLine: (v, when) => `Versión ${v} · ${when}`,
    footer: (code, v, lab) => `Orden de trabajo · Protocolo ${code} · versión ${v} · ${lab}`,
    docTitle: (code) => `Orden de trabajo ${code}`,
    docSubject: (v) => `Orden de trabajo, versión ${v}`,
  },
  mail: {
    greeting: 'Estimado/a colega:',
    closing: 'Saludos cordiales,',
    reportSubject: (code, animal, v, s) => `Informe de laboratorio ${code} — ${animal}${s != null ? ` (versión ${v}, reemplaza a la versión ${s})` : ''}`,
    reportAttached: (code, animal, v) => `Adjuntamos el informe de laboratorio del protocolo ${code} (${animal}), versión ${v}.`,
    reportReplaces: (s) => `Esta versión reemplaza a la versión ${s} enviada anteriormente; por favor, descarte aquella.`,
    verificationCode: (code) => `Código de verificación: ${code}`,
    status: {
      submitted: 'enviado',
      received: 'recibido en el laboratorio',
      in_analysis: 'en análisis',
      reported: 'informado',
      rejected: 'rechazado',
    },
    digestSubject: (protocols, one, rejected, clinic) => `${protocols} ${rejected ? 'rechazado' : 'actualizado'}${one ? '' : 's'} — ${clinic}`,
    digestIntro: (protocols, one, clinic, status) =>
      one ? `El siguiente protocolo de ${clinic} ha pasado a estado «${status}»:` : `Los siguientes ${protocols} de ${clinic} han pasado a estado «${status}»:`,
    reason: (reason) => `Motivo: ${reason}`,
    annulledSubject: (code, animal, v) => `Informe anulado ${code} — ${animal} (versión ${v})`,
    annulledBody: (code, animal, v, date) =>
      `Le informamos de que la versión ${v} del informe de laboratorio del protocolo ${code} (${animal}) ha sido anulada el ${date}. Por favor, no la utilice.`,
    annulledAttached: 'Adjuntamos esa versión marcada como ANULADO / VOID para su registro.',
  },
};

const en: Wording = {
  locale: 'en-GB',
  species: { dog: 'Dog', cat: 'Cat', horse: 'Horse', cow: 'Cattle' },
  sex: { male: 'Male', female: 'Female', unknown: 'Unknown' },
  sections: {
    hemograma: 'Haematology',
    bioquimica_serica: 'Serum biochemistry',
    urianalisis: 'Urinalysis',
    coagulacion: 'Coagulation',
    endocrinologia: 'Endocrinology',
    parasitologia: 'Parasitology',
    serologia: 'Serology',
  },
  sampleTypes: {
    whole_blood_edta: 'Whole blood (EDTA)',
    serum: 'Serum',
    plasma: 'Plasma',
    urine: 'Urine',
    feces: 'Faeces',
    swab: 'Swab',
    tissue: 'Tissue',
  },
  priorities: { [Priority.Routine]: 'Routine', [Priority.Urgent]: 'Urgent', [Priority.Stat]: 'STAT (immediate)' },
  requirements: {
    [Section.Hematology]: '1 ml of EDTA whole blood, refrigerated, < 24 h',
    [Section.Coagulation]: '1 ml of citrated plasma, frozen if > 4 h',
    [Section.Biochemistry]: '0.5 ml of serum without haemolysis, refrigerated',
    [Section.Endocrinology]: '0.5 ml of serum, refrigerated',
    [Section.Urinalysis]: '5 ml of urine by cystocentesis, refrigerated, < 12 h',
    [Section.Parasitology]: '5 g of fresh faeces',
    [Section.Serology]: '0.5 ml of serum',
  },
  flags: { [ResultFlag.High]: 'high', [ResultFlag.Low]: 'low', [ResultFlag.Abnormal]: 'abnormal' },
  counted: {
    month: { one: 'month', other: 'months' },
    year: { one: 'year', other: 'years' },
    protocol: { one: 'protocol', other: 'protocols' },
  },
  ageJoin: ' ',
  doc: {
    protocolHeading: 'PROTOCOL',
    patientHeading: 'PATIENT',
    requesterHeading: 'REQUESTED BY',
    code: 'Code',
    requested: 'Requested',
    received: 'Received',
    name: 'Name',
    species: 'Species',
    breed: 'Breed',
    sex: 'Sex',
    age: 'Age',
    owner: 'Owner',
    clinic: 'Clinic',
    vet: 'Veterinarian',
    protocol: (code) => `Protocol ${code}`,
    continued: ' (cont.)',
    page: (page, total) => `page ${page} of ${total}`,
  },
  report: {
    title: 'LABORATORY REPORT',
    issued: 'Issued',
    version: 'Version',
    versionLabel: (v, s) => (s ? `Version ${v} — replaces version ${s}` : `Version ${v}`),
    observations: 'Comments',
    validation: 'Validation',
    validatedBy: (signer, when) => `Report validated electronically by ${signer} on ${when}.`,
    verificationCode: 'Verification code',
    verificationCodeNote: '. It identifies the content of this version of the report.',
    outOfRangeNote: 'Values outside the reference interval are printed in bold and marked high, low or abnormal.',
    scopeNote: 'The results refer only to the sample received. This report may only be reproduced in full.',
    signerRole: 'Validated by',
    columns: { name: 'Test', result: 'Result', unit: 'Unit', reference: 'Reference interval' },
    running: (code, animal, species) => `Laboratory report · Protocol ${code} · ${animal} (${species})`,
    issuedOn: (date) => `Issued on ${date}`,
    docTitle: (code, animal) => `Report ${code} — ${animal}`,
    docSubject: (version) => `Laboratory report, ${version}`,
    replaces: (v, reason) => `Replaces version ${v}. Reason: ${reason}`,
    voidMark: 'ANULADO / VOID',
    voidNote: (date, reason) => `Version annulled on ${date}. Reason: ${reason}`,
    voidFilenameSuffix: 'void',
  },
  workOrder: {
    title: 'WORK ORDER',
    priority: 'Priority',
    samples: 'Samples',
    priorityBanner: (p) => `PRIORITY: ${p}`,
    instructions: 'Instructions',
    requestedAnalyses: (n) => `Requested tests (${n})`,
    sample: 'Sample: ',
    versionLine: (v, when) => `Version ${v} · ${when}`,
    footer: (code, v, lab) => `Work order · Protocol ${code} · version ${v} · ${lab}`,
    docTitle: (code) => `Work order ${code}`,
    docSubject: (v) => `Work order, version ${v}`,
  },
  mail: {
    greeting: 'Dear colleague,',
    closing: 'Kind regards,',
    reportSubject: (code, animal, v, s) => `Laboratory report ${code} — ${animal}${s != null ? ` (version ${v}, replaces version ${s})` : ''}`,
    reportAttached: (code, animal, v) => `Please find attached the laboratory report of protocol ${code} (${animal}), version ${v}.`,
    reportReplaces: (s) => `This version replaces version ${s} sent earlier; please discard that one.`,
    verificationCode: (code) => `Verification code: ${code}`,
    status: {
      submitted: 'submitted',
      received: 'received at the laboratory',
      in_analysis: 'in analysis',
      reported: 'reported',
      rejected: 'rejected',
    },
    digestSubject: (protocols, _one, rejected, clinic) => `${protocols} ${rejected ? 'rejected' : 'updated'} — ${clinic}`,
    digestIntro: (protocols, one, clinic, status) =>
      one ? `The following protocol of ${clinic} is now "${status}":` : `The following ${protocols} of ${clinic} are now "${status}":`,
    reason: (reason) => `Reason: ${reason}`,
    annulledSubject: (code, animal, v) => `Report annulled ${code} — ${animal} (version ${v})`,
    annulledBody: (code, animal, v, date) =>
      `Version ${v} of the laboratory report for protocol ${code} (${animal}) was annulled on ${date}. Please do not use it.`,
    annulledAttached: 'That version is attached, stamped ANULADO / VOID, for your records.',
  },
};

export const WORDING: Record<ReportLanguage, Wording> = { es, en };

/** The wording of a language; anything unknown (an old row, a typo) reads as Spanish, the lab's own. */
export const wordingFor = (language: ReportLanguage | string | null | undefined): Wording => WORDING[language as ReportLanguage] ?? es;

/** A translated enum value; anything unknown is printed as given. */
export const label = (table: Record<string, string>, value: string): string => table[value] ?? value;

/** Reports print dates in the laboratory's time zone, whatever the server's. */
export const LAB_TIME_ZONE = 'Europe/Madrid';

export interface Formats {
  /** A day: 02/12/2026 (es), 02 Dec 2026 (en); '—' for none. */
  date(iso: string | null): string;
  /** A day and time (24 h). */
  dateTime(iso: string | null): string;
  /** A number as this language writes it: decimal comma (es), point (en). */
  number(n: number): string;
  /** "1 protocolo", "2 protocolos": the counted word by the language's plural rules. */
  count(n: number, word: keyof Wording['counted']): string;
  /** Whether `n` takes the singular form. */
  isOne(n: number): boolean;
}

const formats = new Map<ReportLanguage, Formats>();

/** Date, number and plural formatting of a language (built once per language). */
export function formatsFor(language: ReportLanguage): Formats {
  const lang = WORDING[language] ? language : ReportLanguage.Es;
  let f = formats.get(lang);
  if (f) return f;
  const w = WORDING[lang];
  const dateFmt = new Intl.DateTimeFormat(w.locale, {
    timeZone: LAB_TIME_ZONE,
    day: '2-digit',
    month: lang === ReportLanguage.En ? 'short' : '2-digit',
    year: 'numeric',
  });
  const timeFmt = new Intl.DateTimeFormat(w.locale, { timeZone: LAB_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
  const plural = new Intl.PluralRules(w.locale);
  const parse = (iso: string | null): Date | null => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  f = {
    date: (iso) => {
      const d = parse(iso);
      return d ? dateFmt.format(d) : (iso ?? '—');
    },
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? `${dateFmt.format(d)} ${timeFmt.format(d)}` : (iso ?? '—');
    },
    // Exactly the digits stored (no rounding, no grouping): only the decimal mark follows the language.
    number: (n) => (lang === ReportLanguage.Es ? String(n).replace('.', ',') : String(n)),
    isOne: (n) => plural.select(n) === 'one',
    count: (n, word) => `${n} ${w.counted[word][plural.select(n) === 'one' ? 'one' : 'other']}`,
  };
  formats.set(lang, f);
  return f;
}
