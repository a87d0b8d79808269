import { Alert, Button, Card, FileButton, Group, Image, Loader, Stack, Text, Title } from '@mantine/core';
import { ErrorCode, SIGNATURE_MAX_BYTES, UserView } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { errorMessage, notifySuccess } from '../notifications/notify';

const TYPES = ['image/png', 'image/jpeg'];

/** What is wrong with a chosen file before it is sent (the server checks the content again), or null. */
export function signatureFileProblem(t: Translate, file: File): string | null {
  if (!TYPES.includes(file.type)) return t('signature.error.type');
  if (file.size > SIGNATURE_MAX_BYTES) return t('signature.error.size', { size: Math.ceil(file.size / 1024) });
  return null;
}

function uploadErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.body?.code === ErrorCode.UnsupportedMediaType) return t('signature.error.content');
    if (error.body?.code === ErrorCode.PayloadTooLarge) return t('signature.error.tooLarge');
    if (error.status === 400 && error.body?.details?.some((d) => d.code === 'not_allowed')) return t('signature.error.notSigner');
  }
  return errorMessage(t, error);
}

/**
 * A signer's signature on their person page: the stored image (fetched with the session, like
 * PDFs) and an upload (PNG or JPEG, at most 500 KB).
 */
export function SignatureCard({ user, onChanged }: { user: UserView; onChanged?: (user: UserView) => void }) {
  const t = useT();
  const api = useApi();
  const [src, setSrc] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped by an upload, so the image is fetched again.
  const [version, setVersion] = useState(0);
  const hasSignature = user.hasSignature || version > 0;

  useEffect(() => {
    if (!hasSignature) {
      setSrc(null);
      return;
    }
    let alive = true;
    let url: string | null = null;
    setLoading(true);
    setLoadFailed(false);
    api
      .fetchRaw(`/users/${encodeURIComponent(user.id)}/signature`, { Accept: 'image/png' })
      .then(async (res) => {
        if (!res.ok) throw new ApiError(res.status, null);
        const blob = await res.blob();
        if (!alive) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch(() => alive && setLoadFailed(true))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, user.id, hasSignature, version]);

  const upload = async (file: File | null) => {
    if (!file) return;
    const problem = signatureFileProblem(t, file);
    setError(problem);
    if (problem) return;
    setUploading(true);
    try {
      const updated = await api.putBinary<UserView>(`/users/${encodeURIComponent(user.id)}/signature`, file, file.type);
      notifySuccess(t('signature.saved'));
      setVersion((n) => n + 1);
      onChanged?.(updated);
    } catch (e) {
      setError(uploadErrorText(t, e));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Card withBorder padding="md" data-testid="signature-card">
      <Stack gap="sm">
        <Title order={4}>{t('signature.title')}</Title>
        {loading && <Loader size="sm" aria-label="loading" />}
        {!loading && src && <Image src={src} alt={t('signature.alt', { name: user.name })} maw={300} fit="contain" bg="white" data-testid="signature-image" />}
        {!loading && !hasSignature && (
          <Text size="sm" c="dimmed">
            {t('signature.none')}
          </Text>
        )}
        {loadFailed && (
          <Text size="sm" c="red.8">
            {t('signature.error.load')}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {t('signature.hint')}
        </Text>
        {error && (
          <Alert color="red" role="alert" data-testid="signature-error">
            {error}
          </Alert>
        )}
        <Group>
          <FileButton onChange={(f) => void upload(f)} accept={TYPES.join(',')}>
            {(props) => (
              <Button {...props} loading={uploading} variant="light" data-testid="signature-upload">
                {t(hasSignature ? 'signature.replace' : 'signature.upload')}
              </Button>
            )}
          </FileButton>
          {uploading && (
            <Text size="sm" c="dimmed">
              {t('signature.uploading')}
            </Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
