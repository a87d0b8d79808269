/** Payload of a `mail` queue job; the Bull job id is the outbox id too (Bull dedupes a re-add). */
export interface MailJobData {
  outboxId: string;
}
