/** Placeholder: the notification list (recent job outcomes) is built with the protocol pages. */
export function NotificationArea() {
  return null;
}
