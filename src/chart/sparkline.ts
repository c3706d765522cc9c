// A trend in one line of text, for a terminal, a log line or a check run's
// summary: one block character per period, eight heights.

const BLOCKS = "▁▂▃▄▅▆▇█";
/** A period with nothing to show (no commits): a dot at the baseline, so the gap is seen and not read as a low value. */
export const NO_VALUE = "·";

export interface SparkScale {
  min: number;
  max: number;
}

/**
 * One character per value; null is NO_VALUE. The scale defaults to the
 * values' own range from zero (counts); a share is drawn on 0..1 so that
 * two paths' lines compare.
 */
export function sparkline(values: readonly (number | null)[], scale?: SparkScale): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const min = scale?.min ?? Math.min(0, ...present);
  const max = scale?.max ?? Math.max(0, ...present);
  const span = max - min;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return NO_VALUE;
      if (span <= 0) return BLOCKS[0];
      const k = Math.round(((Math.min(max, Math.max(min, v)) - min) / span) * (BLOCKS.length - 1));
      return BLOCKS[k];
    })
    .join("");
}
