// Rule priorities as Falco spells and orders them: Emergency (0, most severe) … Debug (7). A rule's
// priority is read case-insensitively, with "info" standing for Informational (Falco's parse_priority).

export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;

/** 0 (Emergency) to 7 (Debug): a lower number is more severe. */
export type Priority = number;

/** The priority `text` names, or undefined when it names none. */
export function parsePriority(text: string): Priority | undefined {
  const t = text.toLowerCase();
  if (t === 'info') return 6;
  const i = PRIORITIES.findIndex((p) => p.toLowerCase() === t);
  return i < 0 ? undefined : i;
}

/** The priority as Falco prints it in alerts (`Warning`, `Informational`). */
export function priorityName(p: Priority): string {
  return PRIORITIES[p] ?? 'Debug';
}
