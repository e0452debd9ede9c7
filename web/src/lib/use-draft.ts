import { useCallback, useEffect, useRef, useState } from 'react';

// Form drafts that survive a session expiry (401 → log-in page → back) and a page reload in the
// same tab: `const [draft, setDraft, clearDraft] = useDraft('deal-comment:42', '')`. Call
// clearDraft() after a successful save. Drafts live in sessionStorage and are wiped on log-out.

const PREFIX = 'voronka.draft.';

function read<T>(key: string, initial: T): T {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

/** The draft kept under `key`, or null: for a form that is not always on the page (a dialog). */
export const readDraft = <T>(key: string): T | null => read<T | null>(key, null);

export function writeDraft(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // quota or private mode: the draft just is not kept
  }
}

export function dropDraft(key: string): void {
  try {
    sessionStorage.removeItem(PREFIX + key);
  } catch {
    // ignore
  }
}

export function useDraft<T>(key: string, initial: T): [T, (value: T | ((prev: T) => T)) => void, () => void] {
  const [value, setValue] = useState<T>(() => read(key, initial));
  const keyRef = useRef(key);
  const initialRef = useRef(initial);
  initialRef.current = initial;

  // a different record (key) in the same component: load its draft
  useEffect(() => {
    if (keyRef.current !== key) {
      keyRef.current = key;
      setValue(read(key, initialRef.current));
    }
  }, [key]);

  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      setValue((prev) => {
        const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        writeDraft(key, v);
        return v;
      });
    },
    [key],
  );

  const clear = useCallback(() => {
    dropDraft(key);
    setValue(initialRef.current);
  }, [key]);

  return [value, set, clear];
}

export function clearAllDrafts(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
    }
  } catch {
    // ignore
  }
}
