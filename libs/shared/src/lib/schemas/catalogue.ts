import { AnalyteKind, Section, Species } from '../enums';

export interface RangeView {
  species: Species;
  low: number | null;
  high: number | null;
  expected: string | null;
}

export interface AnalyteView {
  id: string;
  code: string;
  name: string;
  section: Section;
  unit: string | null;
  kind: AnalyteKind;
  decimals: number;
  ranges: RangeView[];
}

export interface PanelView {
  id: string;
  code: string;
  name: string;
  analyteIds: string[];
}

export interface CatalogueView {
  analytes: AnalyteView[];
  panels: PanelView[];
}

export interface ClinicView {
  id: string;
  name: string;
  resultEmails: string[];
}
