import type { JobKind, JobState, QueueName } from '@vetlab/shared';
import { catalogue, MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';

/** Queues, kinds and states in the lab's words. */
export const queueLabel = (t: Translate, q: QueueName) => t(`ops.queue.${q}`);
export const kindLabel = (t: Translate, k: JobKind) => t(`ops.kind.${k}`);
export const stateLabel = (t: Translate, s: JobState) => t(`ops.jobState.${s}`);

/** A job stage in words (the ones the job toasts use), or its own name when there are none. */
export function stageLabel(t: Translate, stage: string): string {
  const key = `jobs.stage.${stage}`;
  return key in catalogue ? t(key as MessageKey) : stage;
}

/** "45 s", "12 min", "2 h 5 min". */
export function durationLabel(t: Translate, ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return t('ops.duration.s', { n: s });
  const min = Math.round(s / 60);
  if (min < 120) return t('ops.duration.min', { n: min });
  return t('ops.duration.h', { h: Math.floor(min / 60), m: min % 60 });
}
