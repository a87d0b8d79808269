import { Sex, Species } from '@vetlab/shared';
import { FIRST_NAMES, SURNAMES } from './demo-people';
import { Prng } from './prng';

const NAMES: Record<Species, string[]> = {
  dog: [
    'Toby', 'Luna', 'Max', 'Coco', 'Lola', 'Rocky', 'Nala', 'Bruno', 'Kira', 'Thor', 'Simba', 'Chispa', 'Canela', 'Lúa',
    'Trufa', 'Duna', 'Milo', 'Bimba', 'Zeus', 'Nina', 'Pipo', 'Rufo', 'Sombra', 'Lía', 'Golfo', 'Chulo', 'Neska', 'Odín',
    'Cleo', 'Kenai', 'Mora', 'Balto', 'Runa', 'Tango', 'Perla', 'Yako', 'Curro', 'Maya', 'Boby', 'Frida',
  ],
  cat: [
    'Misi', 'Garfield', 'Nube', 'Mía', 'Félix', 'Pelusa', 'Tigre', 'Salem', 'Kiwi', 'Oliva', 'Minino', 'Gris', 'Bigotes',
    'Luna', 'Canela', 'Zarpas', 'Mochi', 'Sushi', 'Tofu', 'Nieve', 'Romeo', 'Cachorra', 'Pantera', 'Chispa', 'Michi',
  ],
  horse: [
    'Relámpago', 'Tormenta', 'Lucero', 'Brisa', 'Centella', 'Jerez', 'Rayo', 'Andaluz', 'Bonita', 'Estrella', 'Huracán',
    'Campeador', 'Sultán', 'Duquesa', 'Faraón', 'Gitana', 'Bravío', 'Alhambra',
  ],
  cow: ['Morena', 'Rubia', 'Pinta', 'Galana', 'Lucera', 'Paloma', 'Mariposa', 'Cordera', 'Serrana', 'Castaña', 'Chata', 'Linda', 'Gallarda'],
};

const BREEDS: Record<Species, string[]> = {
  dog: [
    'Mestizo', 'Mestizo', 'Labrador Retriever', 'Pastor Alemán', 'Yorkshire Terrier', 'Bulldog Francés', 'Golden Retriever',
    'Podenco Andaluz', 'Galgo Español', 'Chihuahua', 'Border Collie', 'Beagle', 'Caniche', 'Teckel', 'Bóxer', 'Mastín Español',
  ],
  cat: ['Común Europeo', 'Común Europeo', 'Común Europeo', 'Siamés', 'Persa', 'Maine Coon', 'British Shorthair', 'Bengalí', 'Sphynx'],
  horse: ['Pura Raza Española', 'Árabe', 'Cuarto de Milla', 'Hispano-Bretón', 'Frisón', 'Pura Sangre Inglés', 'Anglo-Árabe', 'Poni'],
  cow: ['Frisona', 'Rubia Gallega', 'Avileña-Negra Ibérica', 'Retinta', 'Asturiana de los Valles', 'Parda de Montaña', 'Limusina'],
};

/** Age in months: [min, max]. */
const AGES: Record<Species, [number, number]> = { dog: [3, 180], cat: [3, 216], horse: [12, 300], cow: [12, 144] };

export interface AnimalAndOwner {
  animalName: string;
  breed: string | null;
  sex: Sex;
  ageMonths: number | null;
  ownerName: string;
  ownerPhone: string | null;
  ownerEmail: string | null;
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export function drawAnimal(r: Prng, species: Species): AnimalAndOwner {
  const first = r.pick(FIRST_NAMES);
  const s1 = r.pick(SURNAMES);
  const s2 = r.pick(SURNAMES);
  // Cattle are known by their ear tag as much as by name.
  const animalName = species === 'cow' ? `${r.pick(NAMES.cow)} (ES${r.int(10, 99)}${String(r.int(0, 99_999_999)).padStart(8, '0')})` : r.pick(NAMES[species]);
  const [minAge, maxAge] = AGES[species];
  return {
    animalName,
    breed: r.chance(0.92) ? r.pick(BREEDS[species]) : null,
    sex: r.weighted([
      [Sex.Female, species === 'cow' ? 90 : 48],
      [Sex.Male, species === 'cow' ? 8 : 48],
      [Sex.Unknown, 4],
    ]),
    ageMonths: r.chance(0.95) ? Math.round(minAge + (maxAge - minAge) * r.next() ** 1.6) : null,
    ownerName: species === 'cow' && r.chance(0.5) ? `Ganadería ${s1} ${s2}` : `${first} ${s1} ${s2}`,
    ownerPhone: r.chance(0.85) ? `+34 6${r.int(0, 99).toString().padStart(2, '0')} ${r.int(100, 999)} ${r.int(100, 999)}` : null,
    ownerEmail: r.chance(0.6) ? `${ascii(first)}.${ascii(s1)}${r.int(1, 99)}@example.com` : null,
  };
}

export const CLINICAL_NOTES = [
  'Poliuria y polidipsia de dos semanas de evolución.',
  'Control tras tratamiento con fenobarbital.',
  'Letargia y anorexia parcial desde hace cuatro días.',
  'Chequeo geriátrico anual.',
  'Prequirúrgico: ovariohisterectomía programada.',
  'Vómitos intermitentes; descartar pancreatitis.',
  'Pérdida de peso progresiva con apetito conservado.',
  'Mucosas pálidas; valorar anemia.',
  'Control de enfermedad renal crónica (estadio IRIS 2).',
  'Prurito y alopecia en zona lumbar.',
  'Cojera y fiebre; sospecha de enfermedad vectorial.',
  'Diarrea crónica intermitente.',
  'Control de tratamiento con levotiroxina.',
  'Bajo rendimiento deportivo.',
  'Descenso de producción láctea tras el parto.',
];

export const REJECTION_REASONS = [
  'Muestra hemolizada: repetir la extracción.',
  'Muestra coagulada en el tubo con EDTA.',
  'Volumen de muestra insuficiente para las pruebas solicitadas.',
  'Muestra sin identificar o con identificación ilegible.',
  'Tiempo de transporte excedido (más de 48 h sin refrigeración).',
  'Tubo inadecuado para las pruebas solicitadas.',
];

export const OBSERVATIONS_NORMAL = [
  'Sin alteraciones significativas en los parámetros analizados.',
  'Valores dentro de los intervalos de referencia para la especie.',
];

export const OBSERVATIONS_ABNORMAL = [
  'Se recomienda repetir la analítica en 2-4 semanas para valorar la evolución.',
  'Hallazgos compatibles con proceso inflamatorio; correlacionar con la clínica.',
  'Alteraciones a valorar junto con la exploración clínica y la anamnesis.',
  'Leve hemólisis en la muestra; algunos valores pueden estar sobreestimados.',
  'Se sugiere ampliar el estudio con pruebas de imagen.',
];
