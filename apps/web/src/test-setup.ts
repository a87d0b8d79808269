import '@testing-library/jest-dom/vitest';
import { notifications } from '@mantine/notifications';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Files share their worker's modules (vitest.config.ts: isolate false), so whatever lives in a
// module (Mantine's notification store) is reset after every test, as the DOM is.
afterEach(() => {
  cleanup();
  notifications.clean();
});
