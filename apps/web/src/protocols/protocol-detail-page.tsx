/** Placeholder until the page is built. */
export function ProtocolDetailPage() {
  return <p>ProtocolDetailPage</p>;
}
