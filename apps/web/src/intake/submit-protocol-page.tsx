/** Placeholder until the page is built. */
export function SubmitProtocolPage() {
  return <p>SubmitProtocolPage</p>;
}
