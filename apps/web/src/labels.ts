import type { ProtocolStatus, Role, Species } from '@vetlab/shared';

/** Spanish labels; typed as full records so a new enum value cannot go unlabelled. */
export const STATUS_LABEL: Record<ProtocolStatus, string> = {
  submitted: 'Enviado',
  received: 'Recibido',
  in_analysis: 'En análisis',
  reported: 'Informado',
  rejected: 'Rechazado',
};

export const ROLE_LABEL: Record<Role, string> = {
  vet: 'Veterinario/a',
  staff: 'Laboratorio',
  admin: 'Administración',
};

export const SPECIES_LABEL: Record<Species, string> = {
  dog: 'Perro',
  cat: 'Gato',
  horse: 'Caballo',
  cow: 'Bovino',
};

const dateFormat = new Intl.DateTimeFormat('es', { day: '2-digit', month: '2-digit', year: 'numeric' });

export const formatDate = (iso: string): string => dateFormat.format(new Date(iso));
