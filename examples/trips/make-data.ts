/**
 * Writes the trips example's data beside this file. Deterministic (seeded PRNG): running it
 * again writes the same data.
 *
 *     npx tsx examples/trips/make-data.ts
 *
 * - `zones.csv`: 42 taxi zones (id, name, borough), with the ids and names of New York's taxi
 *   zones.
 * - `trips.parquet`: 100,000 synthetic taxi trips in January 2024, written through the engine's
 *   native DuckDB. Pickups follow a daily rhythm (rush hours on weekdays, late nights on
 *   weekends) and favour Midtown and the airports; dropoffs favour nearby busy zones. Speed
 *   drops in rush hours; the fare is a base fee plus distance and time (airports add a flat
 *   fee); card payers mostly tip, cash tips are not recorded. About 4% of the rows are bad, as in
 *   real meter data: zero distance, refunds (negative fares), dropoff before pickup, meters left
 *   running for hours, GPS distance glitches, and zero passengers.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normal, pick, prng, round2 } from '../../engine/samples/make-customers.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import { literal } from '../../engine/sql/quote.ts';

type Zone = { id: number; name: string; borough: string; x: number; y: number; weight: number };

/** Zones with a rough position (km east and north of Midtown Center) and a pickup weight. */
const zones: Zone[] = [
  { id: 1, name: 'Newark Airport', borough: 'EWR', x: -14, y: -8, weight: 0.6 },
  { id: 7, name: 'Astoria', borough: 'Queens', x: 5, y: 3.5, weight: 0.8 },
  { id: 33, name: 'Brooklyn Heights', borough: 'Brooklyn', x: -1.2, y: -8.2, weight: 0.6 },
  { id: 41, name: 'Central Harlem', borough: 'Manhattan', x: 0.6, y: 6.2, weight: 0.9 },
  { id: 43, name: 'Central Park', borough: 'Manhattan', x: 0, y: 3, weight: 1.2 },
  { id: 48, name: 'Clinton East', borough: 'Manhattan', x: -1.5, y: 0.6, weight: 2.5 },
  { id: 65, name: 'Downtown Brooklyn/MetroTech', borough: 'Brooklyn', x: -0.5, y: -8.5, weight: 0.7 },
  { id: 68, name: 'East Chelsea', borough: 'Manhattan', x: -1.8, y: -2, weight: 2.6 },
  { id: 69, name: 'East Concourse/Concourse Village', borough: 'Bronx', x: 3.5, y: 9.5, weight: 0.3 },
  { id: 75, name: 'East Harlem South', borough: 'Manhattan', x: 2, y: 4.6, weight: 0.9 },
  { id: 79, name: 'East Village', borough: 'Manhattan', x: -0.4, y: -3.6, weight: 3 },
  { id: 87, name: 'Financial District North', borough: 'Manhattan', x: -2, y: -6.5, weight: 1.4 },
  { id: 88, name: 'Financial District South', borough: 'Manhattan', x: -2.3, y: -7.2, weight: 0.8 },
  { id: 97, name: 'Fort Greene', borough: 'Brooklyn', x: 0.8, y: -8.8, weight: 0.4 },
  { id: 107, name: 'Gramercy', borough: 'Manhattan', x: -0.4, y: -2.3, weight: 2.4 },
  { id: 113, name: 'Greenwich Village North', borough: 'Manhattan', x: -1.6, y: -3.4, weight: 1.8 },
  { id: 129, name: 'Jackson Heights', borough: 'Queens', x: 9, y: 1, weight: 0.4 },
  { id: 132, name: 'JFK Airport', borough: 'Queens', x: 16, y: -13, weight: 3.5 },
  { id: 138, name: 'LaGuardia Airport', borough: 'Queens', x: 9, y: 4, weight: 2.6 },
  { id: 140, name: 'Lenox Hill East', borough: 'Manhattan', x: 1.7, y: 1.7, weight: 1.6 },
  { id: 142, name: 'Lincoln Square East', borough: 'Manhattan', x: -1, y: 1.8, weight: 2.7 },
  { id: 145, name: 'Long Island City/Hunters Point', borough: 'Queens', x: 2.5, y: -0.5, weight: 0.6 },
  { id: 148, name: 'Lower East Side', borough: 'Manhattan', x: -0.6, y: -5, weight: 1.6 },
  { id: 161, name: 'Midtown Center', borough: 'Manhattan', x: 0, y: 0, weight: 4.5 },
  { id: 162, name: 'Midtown East', borough: 'Manhattan', x: 0.6, y: 0.2, weight: 3.6 },
  { id: 163, name: 'Midtown North', borough: 'Manhattan', x: -0.3, y: 0.9, weight: 2.8 },
  { id: 164, name: 'Midtown South', borough: 'Manhattan', x: -0.6, y: -0.8, weight: 2.9 },
  { id: 166, name: 'Morningside Heights', borough: 'Manhattan', x: -0.7, y: 6, weight: 0.8 },
  { id: 170, name: 'Murray Hill', borough: 'Manhattan', x: 0, y: -1.2, weight: 2.8 },
  { id: 181, name: 'Park Slope', borough: 'Brooklyn', x: 0, y: -11, weight: 0.5 },
  { id: 186, name: 'Penn Station/Madison Sq West', borough: 'Manhattan', x: -1.3, y: -1, weight: 3.2 },
  { id: 230, name: 'Times Sq/Theatre District', borough: 'Manhattan', x: -0.8, y: 0.2, weight: 3.4 },
  { id: 231, name: 'TriBeCa/Civic Center', borough: 'Manhattan', x: -2.2, y: -5.6, weight: 1.5 },
  { id: 234, name: 'Union Sq', borough: 'Manhattan', x: -1, y: -2.7, weight: 2.8 },
  { id: 236, name: 'Upper East Side North', borough: 'Manhattan', x: 1.6, y: 2.8, weight: 3.6 },
  { id: 237, name: 'Upper East Side South', borough: 'Manhattan', x: 1, y: 1.6, weight: 3.8 },
  { id: 238, name: 'Upper West Side North', borough: 'Manhattan', x: -1, y: 4, weight: 1.9 },
  { id: 239, name: 'Upper West Side South', borough: 'Manhattan', x: -1.2, y: 2.8, weight: 2.6 },
  { id: 244, name: 'Washington Heights South', borough: 'Manhattan', x: 0.4, y: 10, weight: 0.4 },
  { id: 249, name: 'West Village', borough: 'Manhattan', x: -2.4, y: -3.6, weight: 2.3 },
  { id: 255, name: 'Williamsburg (North Side)', borough: 'Brooklyn', x: 2.5, y: -4.5, weight: 0.7 },
  { id: 261, name: 'World Trade Center', borough: 'Manhattan', x: -2.6, y: -6.6, weight: 1.2 },
];

const airports = new Set([1, 132, 138]);
/** Relative pickups per hour of day. */
const weekdayHours = [1.6, 1, 0.6, 0.4, 0.4, 0.8, 2.2, 4, 5, 4.6, 4.2, 4.4, 4.8, 4.8, 5, 5.4, 5.8, 6.4, 6.6, 5.8, 5, 4.6, 4, 2.8];
const weekendHours = [3.6, 3, 2.2, 1.4, 0.8, 0.6, 0.8, 1.2, 2, 3, 3.8, 4.4, 4.8, 4.8, 4.8, 4.8, 4.8, 4.8, 4.6, 4.4, 4.2, 4.2, 4.2, 4];

const distance = (a: Zone, b: Zone) => Math.hypot(a.x - b.x, a.y - b.y);

/** Per pickup zone: dropoff weights, busy zones nearby first (a gravity model). */
const dropoffWeights = new Map(zones.map((a) => [a.id, zones.map((b) => [b, b.weight / (1 + distance(a, b) / 3) ** 1.5] as [Zone, number])]));

interface Trip {
  pickupMs: number;
  dropoffMs: number;
  pickup: number;
  dropoff: number;
  passengers: number;
  distanceKm: number;
  fare: number;
  tip: number;
  payment: string;
}

function generateTrips(n: number, seed: number): Trip[] {
  const rand = prng(seed);
  const january = Date.UTC(2024, 0, 1);
  const trips: Trip[] = [];
  for (let i = 0; i < n; i++) {
    const day = Math.floor(rand() * 31);
    const weekday = (1 + day) % 7; // 2024-01-01 was a Monday: 0 = Sunday
    const weekend = weekday === 0 || weekday === 6;
    const hour = pick(rand, (weekend ? weekendHours : weekdayHours).map((w, h) => [h, w] as [number, number]));
    const pickupMs = january + ((day * 24 + hour) * 3600 + Math.floor(rand() * 3600)) * 1000;
    const from = pick(rand, zones.map((z) => [z, z.weight] as [Zone, number]));
    const to = pick(rand, dropoffWeights.get(from.id)!);
    const airport = airports.has(from.id) || airports.has(to.id);

    let distanceKm = round2(Math.max(0.4, (from === to ? 0.6 + 1.8 * rand() : distance(from, to) * 1.3) * Math.exp(0.15 * normal(rand))));
    const rush = !weekend && ((hour >= 7 && hour <= 9) || (hour >= 16 && hour <= 19));
    const night = hour <= 5;
    const speedKmh = (rush ? 11 : night ? 27 : 17) * (airport ? 1.5 : 1) * Math.exp(0.25 * normal(rand));
    const seconds = Math.round((distanceKm / speedKmh) * 3600 + 60 + 180 * rand());
    let fare = round2(3 + 1.75 * distanceKm + 0.5 * (seconds / 60) + (airport ? 5 : 0));
    const payment = pick(rand, [['card', 0.72], ['cash', 0.24], ['no_charge', 0.02], ['dispute', 0.02]] as [string, number][]);
    let tip = payment === 'card' && rand() < 0.85 ? round2(fare * (0.12 + 0.13 * rand())) : 0;
    let passengers = pick(rand, [[1, 0.7], [2, 0.15], [3, 0.05], [4, 0.03], [5, 0.03], [6, 0.02], [0, 0.02]] as [number, number][]);
    let dropoffMs = pickupMs + seconds * 1000;

    // Bad records, as real meters produce them.
    const glitch = rand();
    if (glitch < 0.01) distanceKm = 0; // no GPS fix
    else if (glitch < 0.015) [fare, tip] = [-fare, 0]; // refund
    else if (glitch < 0.018) dropoffMs = pickupMs - seconds * 1000; // clock error
    else if (glitch < 0.02) dropoffMs += Math.round((10 + 20 * rand()) * 3600) * 1000; // meter left running
    else if (glitch < 0.022) distanceKm = round2(distanceKm * 25); // GPS jump
    else if (glitch < 0.024) passengers = 0;
    trips.push({ pickupMs, dropoffMs, pickup: from.id, dropoff: to.id, passengers, distanceKm, fare, tip, payment });
  }
  // Trips in pickup order, numbered in that order.
  return trips.sort((a, b) => a.pickupMs - b.pickupMs || a.pickup - b.pickup || a.dropoffMs - b.dropoffMs);
}

const timestamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const zonesFile = fileURLToPath(new URL('./zones.csv', import.meta.url));
  const tripsFile = fileURLToPath(new URL('./trips.parquet', import.meta.url));
  writeFileSync(zonesFile, `${['zone_id,zone_name,borough', ...zones.map((z) => `${z.id},${z.name},${z.borough}`)].join('\n')}\n`);

  const trips = generateTrips(100_000, 2024);
  const db = await openDatabase('native');
  await db.insertRows('raw_trips', {
    columns: [
      { name: 'pickup_at', type: 'VARCHAR' },
      { name: 'dropoff_at', type: 'VARCHAR' },
      { name: 'pickup_zone', type: 'BIGINT' },
      { name: 'dropoff_zone', type: 'BIGINT' },
      { name: 'passengers', type: 'BIGINT' },
      { name: 'distance_km', type: 'DOUBLE' },
      { name: 'fare', type: 'DOUBLE' },
      { name: 'tip', type: 'DOUBLE' },
      { name: 'payment_type', type: 'VARCHAR' },
    ],
    rows: trips.map((t) => [timestamp(t.pickupMs), timestamp(t.dropoffMs), t.pickup, t.dropoff, t.passengers, t.distanceKm, t.fare, t.tip, t.payment]),
  });
  // rowid follows insertion, which is pickup order.
  await db.exec(`COPY (
    SELECT (rowid + 1)::INTEGER AS trip_id, pickup_at::TIMESTAMP AS pickup_at, dropoff_at::TIMESTAMP AS dropoff_at,
      pickup_zone::INTEGER AS pickup_zone, dropoff_zone::INTEGER AS dropoff_zone, passengers::INTEGER AS passengers,
      distance_km, fare, tip, payment_type
    FROM raw_trips ORDER BY rowid
  ) TO ${literal(tripsFile)} (FORMAT parquet, COMPRESSION zstd)`);
  const count = await db.query(`SELECT count(*) FROM read_parquet(${literal(tripsFile)})`);
  await db.close();
  console.log(`zones.csv: ${zones.length} zones; trips.parquet: ${count.rows[0]![0]} trips`);
}
