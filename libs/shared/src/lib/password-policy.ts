import { z } from 'zod';

/** The password policy, the same on both sides (the API validates with it; the SPA's forms check it as you type). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * The most common passwords of at least PASSWORD_MIN_LENGTH characters (public breach lists) and a
 * few a lab would pick; compared case-insensitively, ignoring spaces.
 */
const COMMON = [
  '1234567890', '0123456789', '0987654321', '1234567891', '1111111111', '0000000000', '1q2w3e4r5t', '1qaz2wsx3edc',
  'qwertyuiop', 'asdfghjkl1', 'zxcvbnm123', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'password12', 'password123',
  'password1234', 'passw0rd123', 'password!1', 'iloveyou12', 'iloveyou123', 'princess12', 'sunshine12', 'football12',
  'baseball12', 'welcome123', 'welcome1234', 'abc1234567', 'abcd123456', 'abcdefghij', 'aaaaaaaaaa', 'letmein123',
  'trustno1234', 'dragon1234', 'monkey1234', 'master1234', 'superman12', 'batman1234', 'starwars12', 'michael123',
  'computer12', 'internet12', 'changeme12', 'changeme123', 'administrator', 'admin12345', 'admin123456', 'adminadmin',
  'contraseña1', 'contrasena1', 'contrasena123', 'contraseña123', 'micontraseña', 'micontrasena', 'teamo12345', 'hola123456',
  'veterinaria', 'veterinaria1', 'veterinario', 'veterinario1', 'laboratorio', 'laboratorio1', 'vetlab1234', 'vetlab12345',
  'vetlab-admin', 'vetlab-staff', 'vetlab-vet1', 'qazwsxedcr', 'zaq12wsxcde', '1234qwerty', '123456789a', 'a123456789',
  '123456789q', 'q123456789', '12345678910', '11223344556', '1122334455', '9876543210', '5555555555', '123123123123',
];
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON.map((p) => normalize(p)));

function normalize(p: string): string {
  return p.toLowerCase().replace(/\s+/g, '');
}

export function isCommonPassword(p: string): boolean {
  return COMMON_PASSWORDS.has(normalize(p));
}

/** A new password: long enough, not too long, not on the common list (field code `too_common`). */
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH)
  .refine((p) => !isCommonPassword(p), { error: 'is one of the most common passwords; choose another', params: { code: 'too_common' } });
