import { Box, Group, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useFormatters } from '../protocols/format';

/** The header bell's icon (the lab's job notifications and the vets' notices). */
export function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6" />
      <path d="M9 17v1a3 3 0 0 0 6 0v-1" />
    </svg>
  );
}

interface BellEntryProps {
  title: string;
  /** A Mantine colour name for the dot. */
  color: string;
  read: boolean;
  /** ISO time or epoch milliseconds. */
  at: string | number;
  /** A line of detail under the title. */
  detail?: string | null;
  onClick?: () => void;
  testId: string;
  /** Extra data attributes (e.g. data-kind). */
  data?: Record<`data-${string}`, string>;
  children?: ReactNode;
}

/** One row of a bell's list: a coloured dot, the title (bold while unread), the time, a detail line, then its own parts. */
export function BellEntry({ title, color, read, at, detail, onClick, testId, data, children }: BellEntryProps) {
  const fmt = useFormatters();
  return (
    <Paper
      px="sm"
      py="xs"
      radius={0}
      bg={read ? undefined : 'teal.0'}
      onClick={onClick}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid={testId}
      data-read={read}
      {...data}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" align="flex-start">
          <Box w={8} h={8} mt={6} style={{ borderRadius: '50%', flex: 'none' }} bg={`${color}.6`} />
          <Text size="sm" fw={read ? 500 : 700}>
            {title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {fmt.time(at)}
        </Text>
      </Group>
      {detail && (
        <Text size="sm" c="dimmed" ml={14}>
          {detail}
        </Text>
      )}
      {children}
    </Paper>
  );
}
