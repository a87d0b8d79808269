import type { Messages } from '../types';

/** People (admin): the list, a person's page, new person, password links; the set-password page; one's own password. */
export const people = {} satisfies Messages;
