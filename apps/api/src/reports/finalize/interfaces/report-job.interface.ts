/** Payload of both `reports` queue jobs (finalize, and rendering a lost PDF again). */
export interface ReportJobData {
  reportId: string;
  versionId: string;
  version: number;
}
