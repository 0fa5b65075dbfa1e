// A one-time message for the next page, e.g. "Connected “Sales”." after a form sends the person
// back to the list. The page that shows it takes it, so a reload does not show it again.

let pending: string | null = null;

export function setNotice(text: string): void {
  pending = text;
}

export function takeNotice(): string | null {
  const text = pending;
  pending = null;
  return text;
}
