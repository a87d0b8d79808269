import { Button, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../i18n/i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Stack align="center" mt="xl">
      <Title order={3}>{t('app.notFound')}</Title>
      <Button component={Link} to="/" variant="light">
        {t('app.back')}
      </Button>
    </Stack>
  );
}
