import { ActionIcon, Button, Group, Input, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { SampleType } from '@vetlab/shared';
import { useT } from '../i18n/i18n';
import { enumOptions, SAMPLE_KEY, SEX_KEY, SPECIES_KEY } from './enum-labels';
import { newSample, ProtocolFormValues } from './protocol-form';

type Form = UseFormReturnType<ProtocolFormValues>;

export function AnimalFields({ form }: { form: Form }) {
  const t = useT();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
      <TextInput label={t('submit.animalName')} withAsterisk maxLength={80} {...form.getInputProps('animal.name')} />
      <Select
        label={t('submit.species')}
        withAsterisk
        placeholder={t('submit.choose')}
        data={enumOptions(SPECIES_KEY, t)}
        {...form.getInputProps('animal.species')}
      />
      <TextInput label={t('submit.breed')} maxLength={80} {...form.getInputProps('animal.breed')} />
      <Select label={t('submit.sex')} data={enumOptions(SEX_KEY, t)} allowDeselect={false} {...form.getInputProps('animal.sex')} />
      <Input.Wrapper label={t('submit.age')} description={t('submit.ageHint')}>
        <Group gap="xs" grow wrap="nowrap">
          <NumberInput
            aria-label={t('submit.ageYears')}
            placeholder={t('submit.ageYears')}
            min={0}
            max={50}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('animal.age.years')}
          />
          <NumberInput
            aria-label={t('submit.ageMonths')}
            placeholder={t('submit.ageMonths')}
            min={0}
            max={11}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('animal.age.months')}
          />
        </Group>
      </Input.Wrapper>
    </SimpleGrid>
  );
}

export function OwnerFields({ form }: { form: Form }) {
  const t = useT();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput label={t('submit.ownerName')} withAsterisk maxLength={120} {...form.getInputProps('owner.name')} />
      <TextInput label={t('submit.ownerPhone')} type="tel" maxLength={40} {...form.getInputProps('owner.phone')} />
      <TextInput label={t('submit.ownerEmail')} type="email" maxLength={254} {...form.getInputProps('owner.email')} />
    </SimpleGrid>
  );
}

/** Repeatable rows: sample type and number of tubes/containers. */
export function SamplesField({ form }: { form: Form }) {
  const t = useT();
  const samples = form.getValues().samples;
  const options = enumOptions<SampleType>(SAMPLE_KEY, t);
  const listError = form.errors.samples;
  return (
    <Stack gap="xs">
      {samples.map((s, i) => (
        <Group key={s.key} align="flex-start" wrap="nowrap" data-testid="sample-row">
          <Select
            style={{ flex: 1 }}
            label={t('submit.sampleType', { n: i + 1 })}
            withAsterisk
            placeholder={t('submit.choose')}
            data={options}
            {...form.getInputProps(`samples.${i}.type`)}
          />
          <NumberInput
            w={130}
            label={t('submit.sampleCount', { n: i + 1 })}
            min={1}
            max={20}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps(`samples.${i}.count`)}
          />
          <ActionIcon
            mt={26}
            size="lg"
            variant="subtle"
            color="red"
            aria-label={t('submit.removeSample', { n: i + 1 })}
            disabled={samples.length === 1}
            onClick={() => form.removeListItem('samples', i)}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      {listError && (
        <Text size="sm" c="red" role="alert">
          {listError}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" disabled={samples.length >= 10} onClick={() => form.insertListItem('samples', newSample())}>
          {t('submit.addSample')}
        </Button>
      </Group>
    </Stack>
  );
}
