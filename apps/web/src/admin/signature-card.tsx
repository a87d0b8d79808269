import type { UserView } from '@vetlab/shared';

/**
 * A signer's signature on their person page: the stored image and an upload (PNG or JPEG, at most
 * 500 KB). (Contract stub of issue 18: the signatures helper fills it in.)
 */
export function SignatureCard(_props: { user: UserView; onChanged?: (user: UserView) => void }) {
  return null;
}
