import { ReportLanguage, Role, Species } from '@vetlab/shared';

/** Demo logins: simple on purpose, listed in the README. Never use these outside a demo. */
export const DEMO_PASSWORDS: Record<Role, string> = {
  [Role.Admin]: 'vetlab-admin',
  [Role.Staff]: 'vetlab-staff',
  [Role.Vet]: 'vetlab-vet',
};

export interface DemoClinic {
  key: string;
  name: string;
  city: string;
  resultEmails: string[];
  /** Language of its PDFs and mails (Spanish unless said). */
  reportLanguage?: ReportLanguage;
  /** What the clinic mostly sends: small-animal practices and one large-animal practice. */
  species: readonly (readonly [Species, number])[];
  vets: { email: string; name: string }[];
}

const SMALL_ANIMALS = [
  [Species.Dog, 62],
  [Species.Cat, 36],
  [Species.Horse, 1],
  [Species.Cow, 1],
] as const;

export const DEMO_CLINICS: DemoClinic[] = [
  {
    key: 'san-anton',
    name: 'Clínica Veterinaria San Antón',
    city: 'Madrid',
    resultEmails: ['resultados@sananton.example', 'recepcion@sananton.example'],
    species: SMALL_ANIMALS,
    vets: [
      { email: 'vet1@vetlab.local', name: 'Dra. Lucía Fernández Ruiz' },
      { email: 'vet2@vetlab.local', name: 'Dr. Javier Martín López' },
    ],
  },
  {
    key: 'mediterraneo',
    name: 'Hospital Veterinario Mediterráneo',
    city: 'Valencia',
    resultEmails: ['laboratorio@hvmediterraneo.example'],
    species: SMALL_ANIMALS,
    vets: [
      { email: 'vet3@vetlab.local', name: 'Dra. Marta Sánchez Gil' },
      { email: 'vet4@vetlab.local', name: 'Dr. Pablo Romero Díaz' },
    ],
  },
  {
    key: 'los-olivos',
    name: 'Centro Veterinario Los Olivos',
    city: 'Sevilla',
    resultEmails: ['analiticas@losolivos.example'],
    // Many of its clients and two of its vets are English-speaking residents: reports in English.
    reportLanguage: ReportLanguage.En,
    species: [
      [Species.Dog, 55],
      [Species.Cat, 35],
      [Species.Horse, 10],
    ],
    vets: [
      { email: 'vet5@vetlab.local', name: 'Dra. Elena Navarro Torres' },
      { email: 'vet6@vetlab.local', name: 'Dr. Sergio Moreno Castro' },
    ],
  },
  {
    key: 'cantabrico',
    name: 'Clínica Equina y de Rumiantes Cantábrico',
    city: 'Santander',
    resultEmails: ['resultados@vetcantabrico.example', 'dra.ortega@vetcantabrico.example'],
    species: [
      [Species.Horse, 45],
      [Species.Cow, 45],
      [Species.Dog, 10],
    ],
    vets: [
      { email: 'vet7@vetlab.local', name: 'Dra. Carmen Ortega Vidal' },
      { email: 'vet8@vetlab.local', name: 'Dr. Andrés Iglesias Prieto' },
    ],
  },
];

export const DEMO_STAFF = [
  { email: 'tecnico1@vetlab.local', name: 'Laura Gómez Herrera', signer: false },
  { email: 'tecnico2@vetlab.local', name: 'Daniel Ruiz Campos', signer: false },
  { email: 'firmante1@vetlab.local', name: 'Dra. Isabel Molina Serrano', signer: true },
  { email: 'firmante2@vetlab.local', name: 'Dr. Tomás Delgado Rubio', signer: true },
];

export const DEMO_ADMIN = { email: 'admin@vetlab.local', name: 'Rosa Medina (administración)' };

export const FIRST_NAMES = [
  'María', 'Carmen', 'Ana', 'Isabel', 'Laura', 'Cristina', 'Marta', 'Lucía', 'Paula', 'Sara', 'Elena', 'Raquel',
  'Pilar', 'Nuria', 'Silvia', 'Beatriz', 'Rocío', 'Alba', 'Irene', 'Julia', 'Antonio', 'Manuel', 'José', 'Francisco',
  'David', 'Juan', 'Javier', 'Daniel', 'Carlos', 'Miguel', 'Alejandro', 'Rafael', 'Pedro', 'Pablo', 'Sergio', 'Jorge',
  'Alberto', 'Luis', 'Álvaro', 'Diego', 'Adrián', 'Rubén', 'Iván', 'Óscar', 'Enrique', 'Ramón', 'Vicente', 'Andrés',
];

export const SURNAMES = [
  'García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
  'Jiménez', 'Hernández', 'Ruiz', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Gutiérrez', 'Alonso', 'Navarro',
  'Torres', 'Domínguez', 'Ramos', 'Vázquez', 'Gil', 'Serrano', 'Ramírez', 'Blanco', 'Molina', 'Morales', 'Suárez',
  'Ortega', 'Delgado', 'Castro', 'Ortiz', 'Rubio', 'Marín', 'Sanz', 'Núñez', 'Iglesias', 'Medina', 'Garrido',
  'Cortés', 'Castillo', 'Santos', 'Lozano', 'Guerrero', 'Cano', 'Prieto', 'Méndez', 'Cruz', 'Calvo', 'Gallego',
];
