/** Normalising user text so that "Hjälp", "hjalp" and "  HJÄLP! " mean the same. */

export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Three rows of the distance matrix (i-2, i-1, i), reused between calls: the parser compares many
// short words per message, and a fresh matrix per comparison was most of its cost.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(16), new Int32Array(16), new Int32Array(16)];

/** Damerau–Levenshtein distance (optimal string alignment), for small typos. */
export function editDistance(a: string, b: string): number {
  const n = b.length;
  if (rows[0].length < n + 1) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    const done = prev2;
    prev2 = prev;
    prev = cur;
    cur = done;
  }
  return prev[n]!;
}

/**
 * Whether editDistance(a, b) <= k, computing only the cells within k of the diagonal (every other
 * cell is more than k) and stopping at the first row whose cells all exceed k (along an alignment
 * the distance never decreases).
 */
export function withinDistance(a: string, b: string, k: number): boolean {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > k) return false;
  if (rows[0].length < n + 2) rows = [new Int32Array(n + 2), new Int32Array(n + 2), new Int32Array(n + 2)];
  const over = k + 1;
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j <= k ? j : over;
  prev[n + 1] = over;
  for (let i = 1; i <= m; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(n, i + k);
    cur[0] = i <= k ? i : over;
    cur[lo - 1] = lo === 1 ? cur[0] : over;
    cur[hi + 1] = over;
    let rowMin = lo === 1 ? cur[0] : over;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, prev2[j - 2]! + 1);
      if (v > over) v = over;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > k) return false;
    const done = prev2;
    prev2 = prev;
    prev = cur;
    cur = done;
  }
  return prev[n]! <= k;
}

/** Whether a word is close enough to a keyword: exact for short words, one typo from 5 letters, two from 9. */
export function closeTo(word: string, keyword: string): boolean {
  if (word === keyword) return true;
  const allowed = keyword.length >= 9 ? 2 : keyword.length >= 5 ? 1 : 0;
  return allowed > 0 && withinDistance(word, keyword, allowed);
}
