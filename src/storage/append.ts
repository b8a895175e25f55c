import { fstatSync, ftruncateSync, writeSync } from 'node:fs';

/**
 * Appends all of `buf` to `fd` (open for append, `before` bytes long), or nothing: a write that
 * fails part-way (a full disk) is cut back to where it began, so no half line is left behind, and
 * the error is thrown. `onCutBackFailed` runs when even the cut-back fails. Without `before` the
 * start is found only when a write fails: the file's size then, less what this call wrote (one
 * fstat(2) on failure instead of one per append).
 */
export function appendWhole(fd: number, buf: Buffer, before?: number, onCutBackFailed?: () => void): void {
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (err) {
    try {
      ftruncateSync(fd, before ?? fstatSync(fd).size - off);
    } catch {
      onCutBackFailed?.();
    }
    throw err;
  }
}
