import { Alert, Box, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useApi } from '../app/providers';
import { usePhone } from '../app/phone';
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
 * What the frame loads: the document, opened fitted to the frame's width (the PDF open
 * parameter `view=FitH`, which the browser's viewer keeps on every resize and rotation).
 */
export function frameSource(url: string): string {
  return `${url}#view=FitH`;
}

/** Whether this browser draws a PDF inside a frame (`navigator.pdfViewerEnabled`; phones' Chrome does not). */
export function showsPdfInline(nav: Pick<Navigator, 'pdfViewerEnabled'> | undefined = typeof navigator === 'undefined' ? undefined : navigator): boolean {
  // Older browsers do not say: assume they can, as they did before the property existed.
  return nav?.pdfViewerEnabled !== false;
}

/**
 * In-app PDF viewer: the document is fetched with the session and shown from a blob URL, with a
 * download link. Never window.open: popup blockers eat windows opened after an await. On a phone
 * it takes the whole screen, the page fitted to its width; a browser without an inline PDF viewer
 * gets "Open" (the phone's own viewer) and "Download" instead of an empty frame.
 */
export function PdfViewer({ path, title, filename, onClose, onPending }: Props) {
  const t = useT();
  const api = useApi();
  const phone = usePhone();
  const { state, retry } = usePdfDocument(api, path, filename, onPending);

  return (
    <Modal
      opened={path !== null}
      onClose={onClose}
      size="min(1100px, 96vw)"
      fullScreen={phone}
      padding={phone ? 'xs' : 'md'}
      centered
      // On a phone the document takes every pixel under the title bar, however tall that wraps.
      styles={phone ? { content: { display: 'flex', flexDirection: 'column' }, body: { flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 } } : undefined}
      closeButtonProps={{ 'aria-label': t('app.close') }}
      title={
        <Group gap="sm" wrap="wrap">
          <Text fw={600} size={phone ? 'sm' : undefined}>
            {title}
          </Text>
          {state.kind === 'ready' && (
            <Button component="a" href={state.url} download={state.filename} size="xs" variant="light" data-testid="pdf-download">
              {t('pdf.download')}
            </Button>
          )}
        </Group>
      }
    >
      <Box data-testid="pdf-viewer" data-state={state.kind} style={phone ? { flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 } : undefined}>
        {(state.kind === 'loading' || state.kind === 'idle') && (
          <Center h={300}>
            <Stack align="center" gap="xs">
              <Loader />
              <Text c="dimmed">{t('pdf.loading')}</Text>
            </Stack>
          </Center>
        )}
        {state.kind === 'ready' &&
          (showsPdfInline() ? (
            <iframe
              src={frameSource(state.url)}
              title={t('pdf.frame')}
              data-testid="pdf-frame"
              style={{ display: 'block', width: '100%', border: 0, ...(phone ? { flex: 1, minHeight: 0 } : { height: '75vh' }) }}
            />
          ) : (
            <Alert color="blue" title={t('pdf.noInline')} data-testid="pdf-no-inline">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('pdf.noInlineHint')}</Text>
                <Group gap="xs">
                  <Button component="a" href={state.url} target="_blank" rel="noopener" size="xs">
                    {t('pdf.open')}
                  </Button>
                  <Button component="a" href={state.url} download={state.filename} size="xs" variant="light">
                    {t('pdf.download')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ))}
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
