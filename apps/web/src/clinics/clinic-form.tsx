import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { ClinicView, CreateClinicRequest, ReportLanguage } from '@vetlab/shared';
import { FormEvent, useState } from 'react';
import { serverFieldErrors } from '../intake/form-errors';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { errorMessage } from '../notifications/notify';

export interface ClinicFormValues {
  name: string;
  address: string;
  phone: string;
  resultEmails: string[];
  reportLanguage: ReportLanguage;
}

export const emptyClinic: ClinicFormValues = { name: '', address: '', phone: '', resultEmails: [''], reportLanguage: ReportLanguage.Es };

export const clinicValues = (c: ClinicView): ClinicFormValues => ({
  name: c.name,
  address: c.address ?? '',
  phone: c.phone ?? '',
  resultEmails: c.resultEmails.length ? [...c.resultEmails] : [''],
  reportLanguage: c.reportLanguage,
});

/** What the API gets: trimmed, with an empty address or phone sent as none. */
export const toRequest = (v: ClinicFormValues): CreateClinicRequest => ({
  name: v.name.trim(),
  address: v.address.trim() || null,
  phone: v.phone.trim() || null,
  resultEmails: v.resultEmails.map((e) => e.trim()),
  reportLanguage: v.reportLanguage,
});

/** Field path (`name`, `resultEmails.1`, `resultEmails`) → message, from the shared schema the API uses too. */
export function clinicErrors(t: Translate, v: ClinicFormValues): Record<string, string> {
  const result = CreateClinicRequest.safeParse(toRequest(v));
  const out: Record<string, string> = {};
  if (result.success) return out;
  for (const issue of result.error.issues) {
    const path = issue.path.join('.');
    if (path in out) continue;
    if (path.startsWith('resultEmails.')) out[path] = t('clinics.error.email');
    else if (path === 'resultEmails') out[path] = issue.code === 'too_small' ? t('clinics.error.emailsNone') : t('clinics.error.emailTwice');
    else if (path === 'phone') out[path] = t('clinics.error.phone');
    else if (path === 'name') out[path] = v.name.trim() ? t('form.error.maxLength', { n: 160 }) : t('form.error.required');
    else out[path] = t('form.error.invalid');
  }
  return out;
}

/**
 * A clinic's details, checked as they are typed against the same schema the API applies; the
 * API's own refusals (a name another clinic has) land on their field.
 */
export function ClinicForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  onCancel,
}: {
  initial: ClinicFormValues;
  submitLabel: string;
  onSubmit: (values: ClinicFormValues) => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
}) {
  const t = useT();
  const [v, setV] = useState(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const errors = clinicErrors(t, v);
  const server = serverFieldErrors(t, error);
  const shown = (path: string) => (submitted || touched[path] ? errors[path] : undefined) ?? server?.fields[path];
  const set = <K extends keyof ClinicFormValues>(key: K, value: ClinicFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const touch = (path: string) => setTouched((old) => ({ ...old, [path]: true }));
  const setEmail = (i: number, value: string) => {
    set('resultEmails', v.resultEmails.map((e, j) => (j === i ? value : e)));
    touch(`resultEmails.${i}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!Object.keys(errors).length) onSubmit(v);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="clinic-form">
      <Stack gap="sm">
        <TextInput label={t('clinics.field.name')} required maxLength={160} value={v.name} onChange={(e) => set('name', e.currentTarget.value)} onBlur={() => touch('name')} error={shown('name')} data-testid="clinic-name" />
        <TextInput label={t('clinics.field.address')} maxLength={300} value={v.address} onChange={(e) => set('address', e.currentTarget.value)} onBlur={() => touch('address')} error={shown('address')} data-testid="clinic-address" />
        <TextInput label={t('clinics.field.phone')} maxLength={40} value={v.phone} onChange={(e) => set('phone', e.currentTarget.value)} onBlur={() => touch('phone')} error={shown('phone')} data-testid="clinic-phone" />
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('clinics.field.emails')}
          </Text>
          {v.resultEmails.map((email, i) => (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                type="email"
                aria-label={t('clinics.field.email', { n: i + 1 })}
                value={email}
                onChange={(e) => setEmail(i, e.currentTarget.value)}
                error={(email.trim() || submitted ? errors[`resultEmails.${i}`] : undefined) ?? server?.fields[`resultEmails.${i}`]}
                data-testid={`clinic-email-${i}`}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('clinics.email.remove', { n: i + 1 })}
                disabled={v.resultEmails.length === 1}
                onClick={() => set('resultEmails', v.resultEmails.filter((_, j) => j !== i))}
                data-testid={`clinic-email-remove-${i}`}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          {shown('resultEmails') && (
            <Text size="xs" c="red.8" role="alert">
              {shown('resultEmails')}
            </Text>
          )}
          <div>
            <Button variant="light" size="xs" disabled={v.resultEmails.length >= 10} onClick={() => set('resultEmails', [...v.resultEmails, ''])} data-testid="clinic-email-add">
              {t('clinics.email.add')}
            </Button>
          </div>
        </Stack>
        <Select
          label={t('clinics.field.language')}
          description={t('clinics.field.languageHint')}
          data={[
            { value: ReportLanguage.Es, label: t('clinics.language.es') },
            { value: ReportLanguage.En, label: t('clinics.language.en') },
          ]}
          value={v.reportLanguage}
          allowDeselect={false}
          onChange={(value) => value && set('reportLanguage', value as ReportLanguage)}
          data-testid="clinic-language"
        />
        {error != null && !server?.fields && (
          <Text size="sm" c="red.8" role="alert">
            {errorMessage(t, error)}
          </Text>
        )}
        {server?.other.map((o) => (
          <Text key={o} size="sm" c="red.8" role="alert">
            {o}
          </Text>
        ))}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('app.cancel')}
            </Button>
          )}
          <Button type="submit" loading={pending} data-testid="clinic-submit">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
