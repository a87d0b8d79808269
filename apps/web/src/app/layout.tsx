import { AppShell, Badge, Burger, Button, Divider, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Me, Role } from '@vetlab/shared';
import { useEffect } from 'react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../i18n/language-switch';
import type { MessageKey } from '../i18n/catalogue';
import { ConnectionBadge } from '../realtime/connection-badge';
import { JobTracker } from '../jobs/job-tracker';
import { BulkTracker } from '../bulk/bulk-tracker';
import { NotificationArea } from '../notifications/notification-area';
import { NoticeBell } from '../notices/notice-bell';
import { PauseBanner } from '../ops/pause-banner';
import { useLive } from './live';
import { usePhone } from './phone';
import { useApi, useSession } from './providers';

interface NavItem {
  /** A path, or one built from the user (null: no entry for them). */
  to: string | ((user: Me) => string | null);
  label: MessageKey;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/protocols', label: 'nav.protocols', roles: [Role.Vet, Role.Staff, Role.Admin] },
  { to: '/intake', label: 'nav.intake', roles: [Role.Staff, Role.Admin] },
  { to: '/protocols/new', label: 'nav.newProtocol', roles: [Role.Vet, Role.Staff, Role.Admin] },
  { to: '/bulk', label: 'nav.bulk', roles: [Role.Admin] },
  { to: '/ops', label: 'nav.ops', roles: [Role.Admin] },
  { to: '/admin/people', label: 'nav.people', roles: [Role.Admin] },
  { to: '/admin/clinics', label: 'nav.clinics', roles: [Role.Admin] },
  { to: '/audit', label: 'nav.audit', roles: [Role.Staff, Role.Admin] },
  { to: (user) => (user.clinic ? `/clinics/${user.clinic.id}` : null), label: 'nav.myClinic', roles: [Role.Vet] },
  { to: '/account', label: 'nav.account', roles: [Role.Vet, Role.Staff, Role.Admin] },
];

/** Who is signed in: in the header on a wide screen, at the foot of the menu on a phone. */
function UserBlock({ user }: { user: Me }) {
  const { t } = useI18n();
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="sm" fw={600} data-testid="user-name" truncate>
        {user.name}
      </Text>
      <Group gap={4} wrap="nowrap">
        <Badge size="xs" variant="light">
          {t(`role.${user.role}` as MessageKey)}
        </Badge>
        {user.clinic && (
          <Text size="xs" c="dimmed" truncate>
            {user.clinic.name}
          </Text>
        )}
      </Group>
    </div>
  );
}

/**
 * The signed-in frame: header with the menu button (phones), the live badge, notifications, the
 * language and the user; nav by role, a drawer over the page on phones that closes on navigating.
 */
export function Layout() {
  const api = useApi();
  const session = useSession();
  const { status } = useLive();
  const { t } = useI18n();
  const location = useLocation();
  const phone = usePhone();
  const [menuOpen, menu] = useDisclosure(false);
  // Any navigation (a menu entry, a link in the page, back) closes the menu.
  const closeMenu = menu.close;
  useEffect(() => closeMenu(), [location.pathname, location.search, closeMenu]);
  if (!session) return null;
  const { user } = session;
  const logout = (
    <Button variant="subtle" size="xs" onClick={() => void api.logout()}>
      {t('auth.logout')}
    </Button>
  );
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !menuOpen } }}
      padding={phone ? 'xs' : 'md'}
    >
      <AppShell.Header>
        <Group h="100%" px={phone ? 'xs' : 'md'} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={menuOpen}
              onClick={menu.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t(menuOpen ? 'nav.closeMenu' : 'nav.openMenu')}
              aria-expanded={menuOpen}
              aria-controls="app-navbar"
              data-testid="menu-button"
            />
            <Title order={3} c="teal.8">
              {t('app.name')}
            </Title>
            <ConnectionBadge status={status} />
          </Group>
          <Group gap={phone ? 'xs' : 'sm'} wrap="nowrap">
            {/* Vets' bell holds their clinic's notices; the lab's, its own jobs (vets start none it follows). */}
            {user.role === Role.Vet ? <NoticeBell /> : <NotificationArea />}
            <LanguageSwitch />
            {!phone && <UserBlock user={user} />}
            {!phone && logout}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" id="app-navbar" aria-label={t('nav.label')} data-testid="app-navbar" data-open={phone ? menuOpen : true}>
        <AppShell.Section grow>
          {NAV.filter((n) => n.roles.includes(user.role)).map((n) => {
            const to = typeof n.to === 'function' ? n.to(user) : n.to;
            return (
              to && (
                <NavLink key={to} component={RouterLink} to={to} end label={t(n.label)} active={location.pathname === to} onClick={menu.close} />
              )
            );
          })}
        </AppShell.Section>
        {phone && (
          <AppShell.Section>
            <Divider my="xs" />
            <Stack gap="xs" px="xs">
              <UserBlock user={user} />
              <div>{logout}</div>
            </Stack>
          </AppShell.Section>
        )}
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
