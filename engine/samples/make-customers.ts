/**
 * Writes `customers.csv` beside this file: 10,000 synthetic telecom customers as of 2024-12-31,
 * for the `customers` sample dataset. Deterministic (seeded PRNG): running it again writes the
 * same bytes.
 *
 *     npx tsx engine/samples/make-customers.ts
 *
 * How the data is made, so the dependencies are plausible rather than random noise:
 * - customers sign up between 2019-01-01 and 2024-12-31; ids follow signup order;
 * - a hidden dissatisfaction score raises both support calls and the risk of leaving;
 * - each month a customer may leave, with a monthly hazard that grows with support calls and
 *   price and shrinks after the first months; yearly contracts can only end at a renewal;
 * - `tenure_months` counts the months billed (to the snapshot, or to leaving), and
 *   `total_charges` is their sum: empty for customers in their first month, and missing at
 *   random for about 0.5% of the others (a billing export gap, as in real data).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SNAPSHOT = '2024-12-31';

export interface Customer {
  customer_id: string;
  signup_date: string;
  plan: 'basic' | 'standard' | 'premium';
  region: 'north' | 'south' | 'east' | 'west' | 'central';
  tenure_months: number;
  monthly_charges: number;
  total_charges: number | null;
  support_calls: number;
  contract: 'monthly' | 'yearly';
  churned: 0 | 1;
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function poisson(rand: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

export function pick<T>(rand: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
export const round2 = (x: number) => Math.round(x * 100) / 100;

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whole months from `from` to `to` (both `YYYY-MM-DD`), counting a month once its day is reached. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

const basePrice = { basic: 27, standard: 58, premium: 96 } as const;
const priceSpread = { basic: 5, standard: 8, premium: 10 } as const;
const priceRange = { basic: [18, 40], standard: [40, 80], premium: [75, 125] } as const;
const monthlyShare = { basic: 0.72, standard: 0.55, premium: 0.4 } as const;

export function generateCustomers(n = 10_000, seed = 20_240_101): Customer[] {
  const rand = prng(seed);
  const start = Date.UTC(2019, 0, 1);
  const days = (Date.UTC(2024, 11, 31) - start) / DAY;
  const signups = Array.from({ length: n }, () => Math.floor(rand() * (days + 1))).sort((a, b) => a - b);
  return signups.map((day, i) => {
    const signup_date = isoDay(start + day * DAY);
    const plan = pick(rand, [['basic', 0.4], ['standard', 0.4], ['premium', 0.2]] as const);
    const region = pick(rand, [['north', 0.22], ['south', 0.2], ['east', 0.2], ['west', 0.23], ['central', 0.15]] as const);
    const contract: Customer['contract'] = rand() < monthlyShare[plan] ? 'monthly' : 'yearly';
    const discount = contract === 'yearly' ? 0.9 : 1;
    const [lo, hi] = priceRange[plan];
    const monthly_charges = round2(clamp(basePrice[plan] + priceSpread[plan] * normal(rand), lo, hi) * discount);
    const unhappy = normal(rand);
    const callRate = (1 + (plan === 'basic' ? 0.4 : 0) + (region === 'central' ? 0.6 : 0)) * Math.exp(0.35 * unhappy);
    const support_calls = poisson(rand, callRate);

    // Month by month: leave with this month's hazard, or stay to the snapshot.
    const possible = monthsBetween(signup_date, SNAPSHOT);
    const risk = Math.exp(0.2 * (support_calls - 1.3) + 0.012 * (monthly_charges - 55) + 0.35 * unhappy);
    let tenure = possible;
    let churned: 0 | 1 = 0;
    for (let m = 1; m <= possible; m++) {
      const settling = m <= 6 ? 1.6 : m <= 24 ? 1 : 0.7;
      const hazard = contract === 'monthly' ? 0.013 * risk * settling : m % 12 === 0 ? 0.07 * risk : 0;
      if (rand() < hazard) {
        tenure = m;
        churned = 1;
        break;
      }
    }
    const drift = 1 + 0.02 * normal(rand);
    const gap = rand() < 0.005;
    const total_charges = tenure === 0 || gap ? null : round2(monthly_charges * tenure * drift);
    return {
      customer_id: `C${String(i + 1).padStart(5, '0')}`,
      signup_date,
      plan,
      region,
      tenure_months: tenure,
      monthly_charges,
      total_charges,
      support_calls,
      contract,
      churned,
    };
  });
}

export const customerColumns = [
  'customer_id',
  'signup_date',
  'plan',
  'region',
  'tenure_months',
  'monthly_charges',
  'total_charges',
  'support_calls',
  'contract',
  'churned',
] as const satisfies readonly (keyof Customer)[];

/** CSV text: a header, then one line per customer; NULL is the empty field, money has two decimals. */
export function customersCsv(rows: Customer[]): string {
  const cell = (v: string | number | null, money: boolean) => (v === null ? '' : money ? (v as number).toFixed(2) : String(v));
  const lines = rows.map((r) => customerColumns.map((c) => cell(r[c], c === 'monthly_charges' || c === 'total_charges')).join(','));
  return `${[customerColumns.join(','), ...lines].join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = generateCustomers();
  const file = fileURLToPath(new URL('./customers.csv', import.meta.url));
  writeFileSync(file, customersCsv(rows));
  const churned = rows.filter((r) => r.churned).length;
  const missing = rows.filter((r) => r.total_charges === null).length;
  console.log(`${file}: ${rows.length} customers, ${churned} churned, ${missing} without total_charges`);
}
