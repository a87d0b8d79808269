import { Alert, Box, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { errorMessage } from '../notifications/notify';
import { OnPdfPending, usePdfDocument } from './use-pdf-document';

interface Props {
  /** API path (under /api) of the PDF; null keeps the viewer closed. */
  path: string | null;
  title: string;
  /** Download name when the server does not send one in Content-Disposition. */
  filename: string;
  onClose: () => void;
  /** Hook point for a 202: e.g. wait for `report:ready` and call `retry`. */
  onPending?: OnPdfPending;
}

/**
 * In-app PDF viewer: the document is fetched with the session and shown from a blob URL, with a
 * download link. Never window.open: popup blockers eat windows opened after an await.
 */
export function PdfViewer({ path, title, filename, onClose, onPending }: Props) {
  const t = useT();
  const api = useApi();
  const { state, retry } = usePdfDocument(api, path, filename, onPending);

  return (
    <Modal
      opened={path !== null}
      onClose={onClose}
      size="min(1100px, 96vw)"
      centered
      closeButtonProps={{ 'aria-label': t('app.close') }}
      title={
        <Group gap="md">
          <Text fw={600}>{title}</Text>
          {state.kind === 'ready' && (
            <Button component="a" href={state.url} download={state.filename} size="xs" variant="light" data-testid="pdf-download">
              {t('pdf.download')}
            </Button>
          )}
        </Group>
      }
    >
      <Box data-testid="pdf-viewer" data-state={state.kind}>
        {(state.kind === 'loading' || state.kind === 'idle') && (
          <Center h={300}>
            <Stack align="center" gap="xs">
              <Loader />
              <Text c="dimmed">{t('pdf.loading')}</Text>
            </Stack>
          </Center>
        )}
        {state.kind === 'ready' && (
          <iframe src={state.url} title={t('pdf.frame')} style={{ width: '100%', height: '75vh', border: 0 }} />
        )}
        {state.kind === 'pending' && (
          <Alert color="blue" title={t('pdf.pending')} icon={<Loader size="xs" />}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('pdf.pendingHint')}</Text>
              <Button size="xs" variant="light" color="blue" onClick={retry}>
                {t('pdf.checkAgain')}
              </Button>
            </Stack>
          </Alert>
        )}
        {state.kind === 'missing' && (
          <Alert color="yellow" title={t('pdf.missing')}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('pdf.missingHint')}</Text>
              <Button size="xs" variant="light" color="yellow" onClick={retry}>
                {t('pdf.checkAgain')}
              </Button>
            </Stack>
          </Alert>
        )}
        {state.kind === 'error' && (
          <Alert color="red" title={t('pdf.error')} role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{errorMessage(t, state.error)}</Text>
              <Button size="xs" variant="light" color="red" onClick={retry}>
                {t('app.retry')}
              </Button>
            </Stack>
          </Alert>
        )}
      </Box>
    </Modal>
  );
}
