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

/** Damerau–Levenshtein distance (optimal string alignment), for small typos. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Whether a word is close enough to a keyword: exact for short words, one typo from 5 letters, two from 9. */
export function closeTo(word: string, keyword: string): boolean {
  if (word === keyword) return true;
  const allowed = keyword.length >= 9 ? 2 : keyword.length >= 5 ? 1 : 0;
  return allowed > 0 && Math.abs(word.length - keyword.length) <= allowed && editDistance(word, keyword) <= allowed;
}
