import type { Messages } from '../types';

export const protocols = {} satisfies Messages;
