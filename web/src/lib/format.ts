/** "1 second", "45 seconds", "2 minutes" — a wait time in words, rounded up to minutes past 60 s. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const minutes = Math.ceil(s / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Server texts mark commands with `backticks`: splits a text into plain and code parts (shown as text, never HTML). */
export function codeSegments(text: string): { code: boolean; text: string }[] {
  return text
    .split(/`([^`]+)`/)
    .map((part, i) => ({ code: i % 2 === 1, text: part }))
    .filter((s) => s.text !== '');
}
