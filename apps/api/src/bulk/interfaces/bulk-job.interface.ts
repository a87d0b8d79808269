/** Payload of a `bulk` queue job; everything else is in the run and its ledger. */
export interface BulkJobData {
  bulkId: string;
}
