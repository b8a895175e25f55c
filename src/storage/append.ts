import { ftruncateSync, writeSync } from 'node:fs';

/**
 * Appends all of `buf` to `fd` (open for append, `before` bytes long), or nothing: a write that
 * fails part-way (a full disk) is cut back to where it began, so no half line is left behind, and
 * the error is thrown. `onCutBackFailed` runs when even the cut-back fails.
 */
export function appendWhole(fd: number, buf: Buffer, before: number, onCutBackFailed?: () => void): void {
  try {
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
  } catch (err) {
    try {
      ftruncateSync(fd, before);
    } catch {
      onCutBackFailed?.();
    }
    throw err;
  }
}
