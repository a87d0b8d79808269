import { Code, Stack, Text } from '@mantine/core';
import type { AuditEntryView } from '@vetlab/shared';
import { useI18n } from '../i18n/i18n';
import { useFormatters } from '../protocols/format';
import { changesOf, Shown } from './changes';

function Value({ value }: { value: Shown }) {
  if (value.kind === 'text') return <>{value.text}</>;
  // Long texts and structures stay folded: the table keeps its rows short.
  return (
    <details style={{ display: 'inline' }}>
      <summary style={{ cursor: 'pointer', display: 'inline' }}>{value.summary}</summary>
      <Code block mt={4} style={{ whiteSpace: 'pre-wrap', maxWidth: 480 }}>
        {value.text}
      </Code>
    </details>
  );
}

/** An entry's before → after, one line per changed field. */
export function AuditChanges({ entry }: { entry: Pick<AuditEntryView, 'entity' | 'before' | 'after'> }) {
  const { t, locale } = useI18n();
  const fmt = useFormatters();
  const changes = changesOf(entry, { t, locale, dateTime: fmt.dateTime });
  if (!changes.length) {
    return (
      <Text size="xs" c="dimmed">
        {t('audit.noChanges')}
      </Text>
    );
  }
  return (
    <Stack gap={2} data-testid="audit-changes">
      {changes.map((c) => (
        <Text key={c.field} size="xs" data-testid="audit-change" data-field={c.field}>
          <Text span fw={600} size="xs">
            {c.label}:
          </Text>{' '}
          {c.before && <Value value={c.before} />}
          {c.before && c.after && ' → '}
          {c.after && <Value value={c.after} />}
        </Text>
      ))}
    </Stack>
  );
}
