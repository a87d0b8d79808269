import { AppShell, Badge, Button, Group, NavLink, SegmentedControl, Text, Title } from '@mantine/core';
import { Role } from '@vetlab/shared';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/catalogue';
import { ConnectionBadge } from '../realtime/connection-badge';
import { JobTracker } from '../jobs/job-tracker';
import { BulkTracker } from '../bulk/bulk-tracker';
import { NotificationArea } from '../notifications/notification-area';
import { NoticeBell } from '../notices/notice-bell';
import { PauseBanner } from '../ops/pause-banner';
import { useLive } from './live';
import { useApi, useSession } from './providers';

interface NavItem {
  to: string;
  label: MessageKey;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/protocols', label: 'nav.protocols', roles: [Role.Vet, Role.Staff, Role.Admin] },
  { to: '/intake', label: 'nav.intake', roles: [Role.Staff, Role.Admin] },
  { to: '/protocols/new', label: 'nav.newProtocol', roles: [Role.Vet, Role.Staff, Role.Admin] },
  { to: '/bulk', label: 'nav.bulk', roles: [Role.Admin] },
  { to: '/ops', label: 'nav.ops', roles: [Role.Admin] },
];

/** The signed-in frame: header with the live badge, notifications and the user; nav by role. */
export function Layout() {
  const api = useApi();
  const session = useSession();
  const { status } = useLive();
  const { t, locale, setLocale } = useI18n();
  const location = useLocation();
  if (!session) return null;
  const { user } = session;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 210, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={3} c="teal.8">
              {t('app.name')}
            </Title>
            <ConnectionBadge status={status} />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {/* Vets' bell holds their clinic's notices; the lab's, its own jobs (vets start none it follows). */}
            {user.role === Role.Vet ? <NoticeBell /> : <NotificationArea />}
            <SegmentedControl
              size="xs"
              aria-label={t('app.language')}
              value={locale}
              onChange={(v) => setLocale(v as 'es' | 'en')}
              data={[
                { value: 'es', label: 'ES' },
                { value: 'en', label: 'EN' },
              ]}
            />
            <div>
              <Text size="sm" fw={600} data-testid="user-name">
                {user.name}
              </Text>
              <Group gap={4}>
                <Badge size="xs" variant="light">
                  {t(`role.${user.role}` as MessageKey)}
                </Badge>
                {user.clinic && (
                  <Text size="xs" c="dimmed">
                    {user.clinic.name}
                  </Text>
                )}
              </Group>
            </div>
            <Button variant="subtle" size="xs" onClick={() => void api.logout()}>
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
          <NavLink
            key={n.to}
            component={RouterLink}
            to={n.to}
            end
            label={t(n.label)}
            active={location.pathname === n.to}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {user.role === Role.Admin && <PauseBanner />}
        <Outlet />
        <JobTracker />
        {user.role === Role.Admin && <BulkTracker />}
      </AppShell.Main>
    </AppShell>
  );
}
