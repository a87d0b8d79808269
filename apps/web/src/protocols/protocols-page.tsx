/** Placeholder until the page is built. */
export function ProtocolsPage() {
  return <p>ProtocolsPage</p>;
}
