import type { Messages } from '../types';

export const forms = {} satisfies Messages;
