/**
 * The demo laboratory's analyte catalogue and panels (data only; the seed writes it).
 * Reference ranges are typical adult values for dog, cat, horse and cow as printed by Spanish
 * veterinary labs; they are plausible, not a clinical reference.
 */
import { AnalyteKind, RangeView, Section, Species } from '@vetlab/shared';

export interface DemoAnalyte {
  code: string;
  name: string;
  section: Section;
  unit: string | null;
  kind: AnalyteKind;
  decimals: number;
  ranges: RangeView[];
  /** Qualitative analytes: the answers the bench gives, the expected (normal) one first. */
  answers?: string[];
}

export interface DemoPanel {
  code: string;
  name: string;
  analyteCodes: string[];
  /** Species the panel is usually requested for (the seed picks panels by species). */
  species: Species[];
}

type Pair = [low: number, high: number];
type PerSpecies = Record<Species, Pair>;

const ALL_SPECIES: Species[] = [Species.Dog, Species.Cat, Species.Horse, Species.Cow];
const SMALL: Species[] = [Species.Dog, Species.Cat];

function num(section: Section, code: string, name: string, unit: string | null, decimals: number, r: PerSpecies): DemoAnalyte {
  const ranges = ALL_SPECIES.map((species) => ({ species, low: r[species][0], high: r[species][1], expected: null }));
  return { code, name, section, unit, kind: AnalyteKind.Numeric, decimals, ranges };
}

/** Same range for every species (e.g. sediment counts per field). */
const sameRange = (low: number, high: number): PerSpecies => ({ dog: [low, high], cat: [low, high], horse: [low, high], cow: [low, high] });

function qual(section: Section, code: string, name: string, answers: string[]): DemoAnalyte {
  const ranges = ALL_SPECIES.map((species) => ({ species, low: null, high: null, expected: answers[0] }));
  return { code, name, section, unit: null, kind: AnalyteKind.Qualitative, decimals: 0, ranges, answers };
}

const H = Section.Hematology;
const C = Section.Coagulation;
const B = Section.Biochemistry;
const E = Section.Endocrinology;
const U = Section.Urinalysis;
const P = Section.Parasitology;
const S = Section.Serology;

const NEG = ['negativo', 'positivo'];
const NEG_STRIP = ['negativo', 'trazas', '+', '++', '+++'];

export const DEMO_ANALYTES: DemoAnalyte[] = [
  // Hemograma
  num(H, 'HTO', 'Hematocrito', '%', 1, { dog: [37, 55], cat: [30, 45], horse: [32, 53], cow: [24, 46] }),
  num(H, 'HB', 'Hemoglobina', 'g/dL', 1, { dog: [12, 18], cat: [9.8, 15.4], horse: [11, 19], cow: [8, 15] }),
  num(H, 'RBC', 'Eritrocitos', '×10⁶/µL', 2, { dog: [5.5, 8.5], cat: [5, 10], horse: [6.8, 12.9], cow: [5, 10] }),
  num(H, 'VCM', 'Volumen corpuscular medio', 'fL', 1, { dog: [60, 77], cat: [39, 55], horse: [37, 58.5], cow: [40, 60] }),
  num(H, 'HCM', 'Hemoglobina corpuscular media', 'pg', 1, { dog: [19.5, 24.5], cat: [12.5, 17.5], horse: [12.3, 19.7], cow: [11, 17] }),
  num(H, 'CHCM', 'Concentración de hemoglobina corpuscular media', 'g/dL', 1, { dog: [32, 36], cat: [30, 36], horse: [31, 38.6], cow: [30, 36] }),
  num(H, 'RDW', 'Amplitud de distribución eritrocitaria', '%', 1, { dog: [12, 16], cat: [14, 18], horse: [17, 21], cow: [16, 20] }),
  num(H, 'RETIC', 'Reticulocitos', '×10³/µL', 0, { dog: [10, 110], cat: [3, 50], horse: [0, 5], cow: [0, 10] }),
  num(H, 'WBC', 'Leucocitos', '×10³/µL', 1, { dog: [6, 17], cat: [5.5, 19.5], horse: [5.4, 14.3], cow: [4, 12] }),
  num(H, 'NEU', 'Neutrófilos segmentados', '×10³/µL', 2, { dog: [3, 11.5], cat: [2.5, 12.5], horse: [2.3, 8.6], cow: [0.6, 4] }),
  num(H, 'BAND', 'Neutrófilos en banda', '×10³/µL', 2, { dog: [0, 0.3], cat: [0, 0.3], horse: [0, 0.1], cow: [0, 0.12] }),
  num(H, 'LIN', 'Linfocitos', '×10³/µL', 2, { dog: [1, 4.8], cat: [1.5, 7], horse: [1.5, 7.7], cow: [2.5, 7.5] }),
  num(H, 'MON', 'Monocitos', '×10³/µL', 2, { dog: [0.15, 1.35], cat: [0, 0.85], horse: [0, 1], cow: [0.03, 0.84] }),
  num(H, 'EOS', 'Eosinófilos', '×10³/µL', 2, { dog: [0.1, 1.25], cat: [0, 1.5], horse: [0, 1], cow: [0, 2.4] }),
  num(H, 'BAS', 'Basófilos', '×10³/µL', 2, { dog: [0, 0.1], cat: [0, 0.2], horse: [0, 0.29], cow: [0, 0.2] }),
  num(H, 'PLT', 'Plaquetas', '×10³/µL', 0, { dog: [200, 500], cat: [300, 800], horse: [100, 350], cow: [100, 800] }),
  num(H, 'VPM', 'Volumen plaquetario medio', 'fL', 1, { dog: [7, 11.5], cat: [12, 18], horse: [5.5, 8.5], cow: [4.5, 7.5] }),
  num(H, 'PPT', 'Proteínas plasmáticas totales (refractómetro)', 'g/dL', 1, { dog: [6, 8], cat: [6, 8], horse: [6, 8.5], cow: [7, 8.5] }),
  qual(H, 'FROTIS', 'Morfología en frotis sanguíneo', ['sin alteraciones', 'anisocitosis moderada', 'policromasia', 'cuerpos de Heinz', 'esferocitos', 'neutrófilos tóxicos']),

  // Coagulación
  num(C, 'TP', 'Tiempo de protrombina', 's', 1, { dog: [6, 8.5], cat: [7, 11.5], horse: [9.5, 13], cow: [16, 22] }),
  num(C, 'TTPA', 'Tiempo de tromboplastina parcial activada', 's', 1, { dog: [9.5, 14.5], cat: [10, 18], horse: [35, 53], cow: [25, 40] }),
  num(C, 'FIB', 'Fibrinógeno', 'mg/dL', 0, { dog: [200, 400], cat: [50, 300], horse: [100, 400], cow: [300, 700] }),
  num(C, 'TT', 'Tiempo de trombina', 's', 1, { dog: [5, 10], cat: [6, 12], horse: [8, 15], cow: [13, 25] }),
  num(C, 'DD', 'Dímero D', 'mg/L', 2, { dog: [0, 0.3], cat: [0, 0.3], horse: [0, 0.5], cow: [0, 0.6] }),
  num(C, 'AT', 'Antitrombina', '%', 0, { dog: [90, 140], cat: [95, 140], horse: [90, 130], cow: [80, 120] }),

  // Bioquímica sérica
  num(B, 'GLU', 'Glucosa', 'mg/dL', 0, { dog: [70, 143], cat: [71, 159], horse: [75, 115], cow: [45, 75] }),
  num(B, 'BUN', 'Nitrógeno ureico (BUN)', 'mg/dL', 0, { dog: [7, 27], cat: [16, 36], horse: [10, 24], cow: [6, 27] }),
  num(B, 'CREA', 'Creatinina', 'mg/dL', 2, { dog: [0.5, 1.8], cat: [0.8, 2.4], horse: [0.9, 1.9], cow: [1, 2] }),
  num(B, 'SDMA', 'Dimetilarginina simétrica (SDMA)', 'µg/dL', 0, { dog: [0, 14], cat: [0, 14], horse: [0, 14], cow: [0, 14] }),
  num(B, 'ALT', 'Alanina aminotransferasa (ALT)', 'U/L', 0, { dog: [10, 125], cat: [12, 130], horse: [3, 23], cow: [6, 35] }),
  num(B, 'AST', 'Aspartato aminotransferasa (AST)', 'U/L', 0, { dog: [0, 50], cat: [0, 48], horse: [175, 340], cow: [60, 125] }),
  num(B, 'FA', 'Fosfatasa alcalina', 'U/L', 0, { dog: [23, 212], cat: [14, 111], horse: [140, 400], cow: [20, 200] }),
  num(B, 'GGT', 'Gamma-glutamil transferasa (GGT)', 'U/L', 0, { dog: [0, 11], cat: [0, 4], horse: [5, 24], cow: [6, 17] }),
  num(B, 'BT', 'Bilirrubina total', 'mg/dL', 2, { dog: [0, 0.9], cat: [0, 0.9], horse: [0.5, 2.3], cow: [0, 0.5] }),
  num(B, 'PT', 'Proteínas totales', 'g/dL', 1, { dog: [5.2, 8.2], cat: [5.7, 8.9], horse: [5.2, 7.9], cow: [6.7, 8.5] }),
  num(B, 'ALB', 'Albúmina', 'g/dL', 1, { dog: [2.3, 4], cat: [2.2, 4], horse: [2.6, 3.7], cow: [2.5, 3.8] }),
  num(B, 'GLOB', 'Globulinas', 'g/dL', 1, { dog: [2.5, 4.5], cat: [2.8, 5.1], horse: [2.6, 4], cow: [3, 4.8] }),
  num(B, 'COL', 'Colesterol', 'mg/dL', 0, { dog: [110, 320], cat: [65, 225], horse: [75, 150], cow: [62, 193] }),
  num(B, 'TG', 'Triglicéridos', 'mg/dL', 0, { dog: [10, 100], cat: [10, 100], horse: [4, 44], cow: [0, 14] }),
  num(B, 'CK', 'Creatina quinasa (CK)', 'U/L', 0, { dog: [10, 200], cat: [0, 314], horse: [119, 287], cow: [105, 409] }),
  num(B, 'LIPA', 'Lipasa', 'U/L', 0, { dog: [200, 1800], cat: [100, 1400], horse: [23, 87], cow: [5, 35] }),
  num(B, 'AMI', 'Amilasa', 'U/L', 0, { dog: [500, 1500], cat: [500, 1500], horse: [5, 15], cow: [40, 100] }),
  num(B, 'CA', 'Calcio total', 'mg/dL', 1, { dog: [7.9, 12], cat: [7.8, 11.3], horse: [11.2, 13.6], cow: [8.4, 11] }),
  num(B, 'P', 'Fósforo', 'mg/dL', 1, { dog: [2.5, 6.8], cat: [3.1, 7.5], horse: [3.1, 5.6], cow: [4, 8] }),
  num(B, 'NA', 'Sodio', 'mmol/L', 0, { dog: [144, 160], cat: [150, 165], horse: [132, 146], cow: [132, 152] }),
  num(B, 'K', 'Potasio', 'mmol/L', 1, { dog: [3.5, 5.8], cat: [3.5, 5.8], horse: [2.4, 4.7], cow: [3.9, 5.8] }),
  num(B, 'CL', 'Cloruro', 'mmol/L', 0, { dog: [109, 122], cat: [112, 129], horse: [99, 109], cow: [97, 111] }),
  num(B, 'MG', 'Magnesio', 'mg/dL', 1, { dog: [1.8, 2.4], cat: [1.8, 2.6], horse: [1.8, 2.5], cow: [1.8, 2.3] }),
  num(B, 'AB', 'Ácidos biliares en ayunas', 'µmol/L', 1, { dog: [0, 10], cat: [0, 7], horse: [5, 28], cow: [20, 80] }),
  num(B, 'FRUC', 'Fructosamina', 'µmol/L', 0, { dog: [177, 314], cat: [190, 365], horse: [260, 340], cow: [200, 300] }),
  num(B, 'BHB', 'β-hidroxibutirato', 'mmol/L', 2, { dog: [0, 0.6], cat: [0, 0.6], horse: [0, 0.5], cow: [0, 1.2] }),

  // Endocrinología
  num(E, 'T4T', 'Tiroxina total (T4)', 'µg/dL', 2, { dog: [1, 4], cat: [0.8, 4.7], horse: [1, 3], cow: [4.2, 8.6] }),
  num(E, 'T4L', 'T4 libre', 'ng/dL', 2, { dog: [0.6, 3.7], cat: [0.7, 2.6], horse: [0.5, 2.3], cow: [1.4, 3] }),
  num(E, 'TSH', 'Tirotropina (TSH)', 'ng/mL', 2, { dog: [0, 0.6], cat: [0, 0.3], horse: [0.02, 0.9], cow: [0.1, 0.5] }),
  num(E, 'CORT', 'Cortisol basal', 'µg/dL', 1, { dog: [1, 6], cat: [0.5, 5], horse: [3.4, 10.6], cow: [0.5, 3.5] }),
  num(E, 'ACTH', 'ACTH endógena', 'pg/mL', 0, { dog: [6, 58], cat: [10, 60], horse: [9, 35], cow: [20, 80] }),
  num(E, 'INS', 'Insulina basal', 'µU/mL', 1, { dog: [5, 20], cat: [3, 16], horse: [0, 20], cow: [5, 25] }),
  num(E, 'PROG', 'Progesterona', 'ng/mL', 1, { dog: [0, 1], cat: [0, 1], horse: [0, 1], cow: [0, 1] }),

  // Urianálisis
  num(U, 'U-DENS', 'Densidad urinaria', null, 3, { dog: [1.015, 1.045], cat: [1.035, 1.06], horse: [1.02, 1.05], cow: [1.025, 1.045] }),
  num(U, 'U-PH', 'pH urinario', null, 1, { dog: [5.5, 7.5], cat: [6, 7], horse: [7, 9], cow: [7, 8.5] }),
  qual(U, 'U-PROT', 'Proteínas (tira reactiva)', NEG_STRIP),
  qual(U, 'U-GLU', 'Glucosa (tira reactiva)', NEG_STRIP),
  qual(U, 'U-CET', 'Cuerpos cetónicos (tira reactiva)', NEG_STRIP),
  qual(U, 'U-BIL', 'Bilirrubina (tira reactiva)', NEG_STRIP),
  qual(U, 'U-SANG', 'Sangre / hemoglobina (tira reactiva)', NEG_STRIP),
  num(U, 'U-LEU', 'Leucocitos en sedimento', '/campo 40×', 0, sameRange(0, 5)),
  num(U, 'U-HEM', 'Hematíes en sedimento', '/campo 40×', 0, sameRange(0, 5)),
  qual(U, 'U-CRIS', 'Cristales', ['no se observan', 'estruvita', 'oxalato cálcico dihidratado', 'urato amónico', 'bilirrubina']),
  qual(U, 'U-CIL', 'Cilindros', ['no se observan', 'hialinos', 'granulosos', 'céreos']),
  qual(U, 'U-BACT', 'Bacterias', ['no se observan', 'escasas', 'moderadas', 'abundantes']),
  num(U, 'UPC', 'Relación proteína/creatinina urinaria', null, 2, { dog: [0, 0.5], cat: [0, 0.4], horse: [0, 0.5], cow: [0, 0.5] }),

  // Parasitología
  qual(P, 'COPRO', 'Coproparasitológico (flotación)', [
    'negativo',
    'huevos de Toxocara spp.',
    'huevos de Ancylostoma spp.',
    'ooquistes de Cystoisospora spp.',
    'huevos de estrongílidos',
    'huevos de Trichuris spp.',
  ]),
  num(P, 'HPG', 'Recuento de huevos por gramo (McMaster)', 'hpg', 0, { dog: [0, 0], cat: [0, 0], horse: [0, 200], cow: [0, 100] }),
  qual(P, 'GIAR', 'Giardia spp. (antígeno en heces)', NEG),
  qual(P, 'CRYPT', 'Cryptosporidium spp. (antígeno en heces)', NEG),
  qual(P, 'BAERM', 'Larvas pulmonares (Baermann)', ['negativo', 'larvas de Angiostrongylus vasorum', 'larvas de Aelurostrongylus abstrusus']),
  qual(P, 'KNOTT', 'Microfilarias (test de Knott)', ['negativo', 'Dirofilaria immitis', 'Acanthocheilonema reconditum']),

  // Serología
  qual(S, 'FELV', 'Antígeno de leucemia felina (FeLV)', NEG),
  qual(S, 'FIV', 'Anticuerpos frente a inmunodeficiencia felina (FIV)', NEG),
  qual(S, 'TOXO', 'Toxoplasma gondii IgG', ['negativo', 'positivo 1/64', 'positivo 1/256']),
  qual(S, 'LEISH', 'Leishmania infantum (IFI)', ['negativo', 'positivo 1/80', 'positivo 1/160', 'positivo 1/320', 'positivo 1/640']),
  qual(S, 'EHRL', 'Ehrlichia canis (anticuerpos)', NEG),
  qual(S, 'DIRO', 'Dirofilaria immitis (antígeno)', NEG),
  qual(S, 'PARVO', 'Parvovirus canino (antígeno en heces)', NEG),
  qual(S, 'AIE', 'Anemia infecciosa equina (Coggins)', NEG),
  qual(S, 'BVD', 'Diarrea vírica bovina (antígeno p80)', NEG),
  qual(S, 'BRUC', 'Brucella abortus (Rosa de Bengala)', NEG),
];

const codesOf = (section: Section, except: string[] = []) =>
  DEMO_ANALYTES.filter((a) => a.section === section && !except.includes(a.code)).map((a) => a.code);

export const DEMO_PANELS: DemoPanel[] = [
  { code: 'HEMO', name: 'Hemograma completo', analyteCodes: codesOf(H), species: ALL_SPECIES },
  { code: 'BQ-BAS', name: 'Bioquímica básica', analyteCodes: ['GLU', 'BUN', 'CREA', 'ALT', 'FA', 'PT', 'ALB'], species: ALL_SPECIES },
  { code: 'BQ-COMP', name: 'Perfil bioquímico completo', analyteCodes: codesOf(B, ['FRUC', 'BHB', 'SDMA']), species: ALL_SPECIES },
  { code: 'HEPAT', name: 'Perfil hepático', analyteCodes: ['ALT', 'AST', 'FA', 'GGT', 'BT', 'AB', 'ALB', 'COL'], species: ALL_SPECIES },
  { code: 'RENAL', name: 'Perfil renal', analyteCodes: ['BUN', 'CREA', 'SDMA', 'P', 'NA', 'K', 'CL', 'U-DENS', 'UPC'], species: SMALL },
  { code: 'IONO', name: 'Ionograma', analyteCodes: ['NA', 'K', 'CL', 'CA', 'MG', 'P'], species: ALL_SPECIES },
  { code: 'PREQ', name: 'Perfil prequirúrgico', analyteCodes: ['HTO', 'HB', 'WBC', 'PLT', 'GLU', 'BUN', 'CREA', 'ALT', 'PT', 'TP', 'TTPA'], species: SMALL },
  { code: 'COAG', name: 'Perfil de coagulación', analyteCodes: codesOf(C), species: ALL_SPECIES },
  { code: 'TIRO', name: 'Perfil tiroideo', analyteCodes: ['T4T', 'T4L', 'TSH'], species: SMALL },
  { code: 'ENDO', name: 'Perfil adrenal y metabólico', analyteCodes: ['CORT', 'ACTH', 'INS', 'GLU', 'FRUC'], species: [Species.Dog, Species.Cat, Species.Horse] },
  { code: 'ORINA', name: 'Urianálisis completo', analyteCodes: codesOf(U), species: ALL_SPECIES },
  { code: 'COPRO', name: 'Coprológico completo', analyteCodes: codesOf(P, ['KNOTT']), species: ALL_SPECIES },
  { code: 'DIARREA', name: 'Perfil de diarrea canina', analyteCodes: ['COPRO', 'GIAR', 'CRYPT', 'PARVO'], species: [Species.Dog] },
  { code: 'VECT', name: 'Enfermedades vectoriales caninas', analyteCodes: ['LEISH', 'EHRL', 'DIRO', 'KNOTT'], species: [Species.Dog] },
  { code: 'FELV-FIV', name: 'Retrovirus felinos (FeLV/FIV) y toxoplasmosis', analyteCodes: ['FELV', 'FIV', 'TOXO'], species: [Species.Cat] },
  { code: 'SERO-GA', name: 'Sanidad de grandes animales', analyteCodes: ['AIE', 'BVD', 'BRUC', 'BHB'], species: [Species.Horse, Species.Cow] },
];
