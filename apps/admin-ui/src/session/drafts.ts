/**
 * Unsaved work survives an ended session: when the API says the session is over, every open form
 * writes its draft (never a password) to sessionStorage under its route; after signing in again the
 * same route finds and restores it.
 */
const PREFIX = 'integrations-admin.draft:';

type DraftWriter = () => void;
const writers = new Set<DraftWriter>();

/** Registers a form's draft writer while it is mounted; returns the unregister function. */
export function registerDraftWriter(writer: DraftWriter): () => void {
  writers.add(writer);
  return () => writers.delete(writer);
}

/** Returns how many forms kept a draft. */
export function writeAllDrafts(): number {
  for (const writer of writers) writer();
  return writers.size;
}

export function saveDraft<T>(key: string, value: T): void {
  sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
}

/** Reads and removes the draft: it is restored once. */
export function takeDraft<T>(key: string): T | null {
  const raw = sessionStorage.getItem(PREFIX + key);
  if (raw === null) return null;
  sessionStorage.removeItem(PREFIX + key);
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
