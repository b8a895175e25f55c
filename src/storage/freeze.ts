/**
 * Freezes a record and everything in it: the stores hand out what they hold read-only (no copy per
 * read), so nobody can change it behind the store's back.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
