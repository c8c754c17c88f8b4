// How far apart two words are, for "did you mean …?" suggestions: the optimal string alignment
// distance (insert, delete, substitute, or swap two adjacent characters; each costs 1), where the
// caller may make some substitutions cheaper (a neighbouring key on the keyboard).

/** The cost of writing `b` where `a` was meant (0 when equal). */
export type SubstitutionCost = (a: string, b: string) => number;

const plainSubstitution: SubstitutionCost = (a, b) => (a === b ? 0 : 1);

export function editDistance(a: string, b: string, substitutionCost: SubstitutionCost = plainSubstitution): number {
  const width = b.length + 1;
  // Row-major (a.length + 1) × (b.length + 1) table in one flat array.
  const table = new Float64Array((a.length + 1) * width);
  for (let j = 0; j <= b.length; j++) table[j] = j;
  for (let i = 1; i <= a.length; i++) {
    table[i * width] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = i * width + j;
      const charA = a.charAt(i - 1);
      const charB = b.charAt(j - 1);
      let best = Math.min((table[here - width] ?? 0) + 1, (table[here - 1] ?? 0) + 1, (table[here - width - 1] ?? 0) + substitutionCost(charA, charB));
      const swapped = i > 1 && j > 1 && charA === b.charAt(j - 2) && a.charAt(i - 2) === charB;
      if (swapped) best = Math.min(best, (table[here - 2 * width - 2] ?? 0) + 1);
      table[here] = best;
    }
  }
  return table[a.length * width + b.length] ?? 0;
}
