/**
 * Writes the churn example's data beside this file. Deterministic: running it again writes the
 * same bytes.
 *
 *     npx tsx examples/churn/make-data.ts
 *
 * - `customers.csv`: the 10,000 customers of the `customers` sample dataset (same generator,
 *   same seed, so the file equals `engine/samples/customers.csv`).
 * - `usage.csv`: one row per customer and billed month, for each customer's last (up to) six
 *   billed months: mobile data, voice minutes and dropped calls. Customers who go on to leave
 *   use less in their last months and suffer more dropped calls; the central region's network
 *   drops more calls for everyone.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { customersCsv, generateCustomers, normal, poisson, prng, type Customer } from '../../engine/samples/make-customers.ts';

const dataGb = { basic: 3.5, standard: 11, premium: 28 } as const;
const minutes = { basic: 180, standard: 320, premium: 520 } as const;

/** `YYYY-MM-01` of the month `offset` months after the month of `day` (`YYYY-MM-DD`). */
function monthStart(day: string, offset: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

export function usageRows(customers: Customer[], seed = 7): string[] {
  const rand = prng(seed);
  const lines: string[] = [];
  for (const c of customers) {
    const months = Math.min(6, c.tenure_months);
    const habit = Math.exp(0.35 * normal(rand));
    for (let k = c.tenure_months - months + 1; k <= c.tenure_months; k++) {
      const left = c.tenure_months - k; // billed months still to come
      const fading = c.churned && left < 3 ? 1 - 0.18 * (3 - left) : 1;
      const data = dataGb[c.plan] * habit * fading * Math.exp(0.2 * normal(rand));
      const voice = minutes[c.plan] * habit * fading * Math.exp(0.25 * normal(rand));
      const dropRate = 0.5 + (c.region === 'central' ? 0.7 : 0) + (c.churned && left < 3 ? 0.6 : 0);
      lines.push(`${c.customer_id},${monthStart(c.signup_date, k - 1)},${data.toFixed(1)},${Math.round(voice)},${poisson(rand, dropRate)}`);
    }
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const customers = generateCustomers();
  const usage = usageRows(customers);
  writeFileSync(new URL('./customers.csv', import.meta.url), customersCsv(customers));
  writeFileSync(new URL('./usage.csv', import.meta.url), `${['customer_id,month,data_gb,voice_minutes,dropped_calls', ...usage].join('\n')}\n`);
  console.log(`customers.csv: ${customers.length} rows; usage.csv: ${usage.length} rows`);
}
