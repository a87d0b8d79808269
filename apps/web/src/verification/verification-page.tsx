import { Alert, Anchor, Box, Button, Container, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { verificationPagePath, VerificationState, VerificationView } from '@vetlab/shared';
import { FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../i18n/language-switch';
import { useFormatters } from '../protocols/format';

const STATE: Record<VerificationState, { color: string; title: MessageKey; body: MessageKey }> = {
  [VerificationState.Valid]: { color: 'teal', title: 'verify.valid.title', body: 'verify.valid.body' },
  [VerificationState.Superseded]: { color: 'yellow', title: 'verify.superseded.title', body: 'verify.superseded.body' },
  [VerificationState.Annulled]: { color: 'red', title: 'verify.annulled.title', body: 'verify.annulled.body' },
};

/**
 * `/verificar/:code`, public (no login, outside the signed-in layout): where a report's QR code
 * leads. Says whether the code belongs to a report the lab issued and whether it is current,
 * superseded or annulled; only what the paper already shows about who issued it.
 */
export function VerificationPage() {
  const { code = '' } = useParams();
  const { t } = useI18n();
  const api = useApi();
  const lookup = useQuery({
    queryKey: ['verification', code],
    queryFn: () => api.get<VerificationView>(`/verify/${encodeURIComponent(code)}`),
    enabled: code !== '',
    retry: false,
    staleTime: 60_000,
  });

  return (
    <Box bg="gray.0" mih="100vh" py="md">
      <Container size={560} px="sm">
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={3} c="teal.8">
            {t('app.name')}
          </Title>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="xs" p="md">
          <Stack gap="md">
            <div>
              <Title order={2} size="h3">
                {t('verify.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('verify.subtitle')}
              </Text>
            </div>
            <CodeForm initial={lookup.data?.code ?? code} />
            {code !== '' && <Outcome lookup={lookup} />}
          </Stack>
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="sm">
          {t('verify.privacy')}
        </Text>
      </Container>
    </Box>
  );
}

/** Another code, typed from paper. */
function CodeForm({ initial }: { initial: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = value.trim();
    if (code) void navigate(verificationPagePath(code));
  };
  return (
    <form onSubmit={submit}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label={t('verify.code')}
          placeholder={t('verify.codePlaceholder')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          styles={{ input: { fontFamily: 'ui-monospace, monospace', textTransform: 'uppercase' } }}
        />
        <Button type="submit">{t('verify.submit')}</Button>
      </Group>
    </form>
  );
}

function Outcome({ lookup }: { lookup: ReturnType<typeof useQuery<VerificationView>> }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  if (lookup.isPending) {
    return (
      <Group gap="sm" data-testid="verification-loading">
        <Loader size="sm" aria-label={t('verify.loading')} />
        <Text size="sm">{t('verify.loading')}</Text>
      </Group>
    );
  }
  if (lookup.isError) {
    const status = lookup.error instanceof ApiError ? lookup.error.status : 0;
    const [title, body, color]: [MessageKey, MessageKey | null, string] =
      status === 404 ? ['verify.notFound.title', 'verify.notFound.body', 'gray'] : status === 429 ? ['verify.rateLimited.title', 'verify.rateLimited.body', 'orange'] : ['verify.error.title', null, 'red'];
    return (
      <Alert color={color} title={t(title)} role="alert" data-testid="verification-state" data-state={status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'error'}>
        <Stack gap="xs">
          {body && <Text size="sm">{t(body)}</Text>}
          {status !== 404 && (
            <Anchor component="button" size="sm" onClick={() => void lookup.refetch()}>
              {t('app.retry')}
            </Anchor>
          )}
        </Stack>
      </Alert>
    );
  }
  const v = lookup.data;
  const s = STATE[v.state];
  const vars = { version: v.supersededBy ?? '', date: fmt.date(v.annulledAt) };
  return (
    <Stack gap="md">
      <Alert color={s.color} variant="filled" title={t(s.title, vars)} role="status" data-testid="verification-state" data-state={v.state}>
        <Text size="sm">{t(s.body, vars)}</Text>
      </Alert>
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          <Row label={t('verify.code')} value={<Text ff="monospace" fw={700} size="sm">{v.code}</Text>} />
          <Row label={t('verify.protocol')} value={v.protocolCode} />
          <Row label={t('verify.clinic')} value={v.clinicName} />
          <Row label={t('verify.signer')} value={v.signerName ?? t('app.none')} />
          <Row label={t('verify.finalizedAt')} value={fmt.dateTime(v.finalizedAt)} />
          <Row label={t('verify.version')} value={String(v.version)} />
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w="40%">{label}</Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
    </Table.Tr>
  );
}
