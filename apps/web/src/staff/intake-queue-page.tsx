/** Placeholder until the page is built. */
export function IntakeQueuePage() {
  return <p>IntakeQueuePage</p>;
}
