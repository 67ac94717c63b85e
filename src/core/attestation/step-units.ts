/**
 * Exact arithmetic on points: a number is read as the decimal JSON shows (its shortest round-trip text, "4.5", "1e-7"),
 * and points are counted in whole steps of the rubric, as integers. 0.1 + 0.2 is 3 steps of 0.1, which is 0.3; a total
 * of 19.5000009 is no whole number of steps of 0.5 and is never "close enough".
 */

/** value = digits / 10^scale, exactly. */
interface Decimal {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

function decimalOf(x: number): Decimal {
  const m = DECIMAL.exec(String(x));
  if (m === null) throw new RangeError(`${x} is not a finite number`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(`${sign}${whole}${fraction}`);
  return scale < 0 ? { digits: digits * 10n ** BigInt(-scale), scale: 0 } : { digits, scale };
}

/** Both decimals as integers over one common power of ten. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale)];
}

/** How many whole steps `value` is, or undefined when it is not a whole number of steps. */
export function unitsOf(value: number, step: number): bigint | undefined {
  const [v, s] = aligned(decimalOf(value), decimalOf(step));
  if (s <= 0n || v % s !== 0n) return undefined;
  return v / s;
}

/** The number `units` steps make, as the decimal it is (3 steps of 0.1 is 0.3, not 0.30000000000000004). */
export function fromUnits(units: bigint, step: number): number {
  const s = decimalOf(step);
  return Number(decimalText({ digits: units * s.digits, scale: s.scale }));
}

function decimalText(d: Decimal): string {
  const negative = d.digits < 0n;
  const text = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  const whole = text.slice(0, text.length - d.scale);
  const fraction = text.slice(text.length - d.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction !== '' ? `.${fraction}` : ''}`;
}

/** The exact sum of the values, as decimal text ("19.5", "19.5000000001"). */
export function exactSum(values: readonly number[]): string {
  const sum = values.map(decimalOf).reduce((acc, d) => {
    const [a, b] = aligned(acc, d);
    return { digits: a + b, scale: Math.max(acc.scale, d.scale) };
  }, { digits: 0n, scale: 0 });
  return decimalText(sum);
}

/** Whether `value` is exactly the decimal `text` (as exactSum writes it). */
export function equalsDecimal(value: number, text: string): boolean {
  return decimalText(decimalOf(value)) === text;
}
