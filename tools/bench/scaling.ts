/** Least-squares slope of log(time) against log(rows): 1 is linear, 2 quadratic. */
export function scalingExponent(points: readonly { readonly rows: number; readonly ms: number }[]): number | undefined {
  const usable = points.filter((p) => p.rows > 0 && p.ms > 0);
  if (usable.length < 2) return undefined;
  const xs = usable.map((p) => Math.log(p.rows));
  const ys = usable.map((p) => Math.log(p.ms));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? undefined : num / den;
}
