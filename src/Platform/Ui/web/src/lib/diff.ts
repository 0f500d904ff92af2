/** A line diff (longest common subsequence) of two texts: each line marked ' ', '-' (only in a) or '+' (only in b). */
export function lineDiff(a: string, b: string): [string, string][] {
  const x = a.split('\n'), y = b.split('\n');
  const m = x.length, n = y.length;
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: [string, string][] = [];
  let i = 0, j = 0;
  while (i < m && j < n) {
    if (x[i] === y[j]) { out.push([' ', x[i]]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(['-', x[i++]]);
    else out.push(['+', y[j++]]);
  }
  while (i < m) out.push(['-', x[i++]]);
  while (j < n) out.push(['+', y[j++]]);
  return out;
}
