/**
 * The fast path of the register import: a file loaded into an EMPTY register (no household, no person).
 *
 * Nothing can match an existing person then, so every accepted row is a new person and the staging
 * table, the matching and the INSERT ... SELECT passes are not needed. Each chunk of rows is written by
 * COPY straight into the final tables (household, person, card) with ids
 * made here; villages are created as they are first met; the rules that the staged path applies in SQL
 * are applied here while streaming, with the same outcome:
 * - two rows that are one person (same citizen id; else same insurance code; else same name + birth date
 *   in the same household) make the later rows `duplicate_in_file` error rows, except a further card of
 *   the person of the row before (a row with a card, of the same person, household, name and birth date,
 *   next to it among the accepted rows): it adds its card to that person;
 * - the first accepted row of a household gives its village, address and poverty status;
 * - a village is matched by its folded name within the commune, created with its slug as local code
 *   unless that code is taken (then the row has no village, as in the staged path).
 * The kept coverage aggregates are counted from the rows themselves (each person's cards merged into
 * spans as coverage-counts.repository.ts merges them), not re-read from the register.
 *
 * Everything runs inside the caller's transaction, so a failure, a rollback (all-or-nothing, dry run) or
 * a kill leaves the register as it was. The caller holds a lock on household and person that keeps them
 * empty until COMMIT. Its SQL (the truncate, the snapshots' triggers, the added span counts) is in
 * import.repository.ts; the rows go by COPY from here.
 */
import { randomFillSync } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Engine } from '../../db/connect';
import { BinaryRows, timestamptzBytes, type CopyOptions } from '../../db/bulk';
import type { RegisterRow } from '../../domain/register-row';
import { foldVietnamese } from '../../domain/text';
import { toEpochDay } from '../../domain/calendar';
import { MonthEndSnapshots } from '../../domain/coverage-snapshots';
import { RENEWAL_WINDOW_DAYS } from '../../domain/coverage';
import { allVillages, insertVillages } from '../units/units.service';
import * as repo from './import.repository';

/** A village's code when an import creates it: its folded name as a slug ("Thôn Phú Lâm" -> "thon-phu-lam"). */
export const villageLocalCode = (key: string) => key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'thon';

/**
 * Time-ordered ids (UUID version 7 of RFC 9562: 48 bits of milliseconds, a 24-bit counter in the
 * version-7 and variant groups, 48 random bits), made as their 16 bytes. Ids made one after another
 * increase, so the primary keys (household id first) and the rebuilt id indexes grow at their right edge
 * instead of at random pages.
 */
export class OrderedIds {
  private ms = 0;
  private counter = 1 << 24;
  private readonly pool = Buffer.alloc(6 * 4096);
  private offset = this.pool.length;

  /** Writes the next id's 16 bytes into `target` from `at`. */
  write(target: Uint8Array, at: number): void {
    if (this.counter >= 1 << 24) {
      this.ms = Math.max(Date.now(), this.ms + 1);
      this.counter = 0;
    }
    if (this.offset >= this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const c = this.counter++;
    const ms = this.ms;
    const high = Math.floor(ms / 65536);
    target[at] = high >>> 24;
    target[at + 1] = (high >>> 16) & 0xff;
    target[at + 2] = (high >>> 8) & 0xff;
    target[at + 3] = high & 0xff;
    target[at + 4] = (ms >>> 8) & 0xff;
    target[at + 5] = ms & 0xff;
    target[at + 6] = 0x70 | (c >>> 20);
    target[at + 7] = (c >>> 12) & 0xff;
    target[at + 8] = 0x80 | ((c >>> 8) & 0x0f);
    target[at + 9] = c & 0xff;
    const pool = this.pool;
    for (let i = 0, o = this.offset; i < 6; i++) target[at + 10 + i] = pool[o + i];
    this.offset += 6;
  }
}

/** The ids of the households made so far, 16 bytes each, by household number (kept for the whole file). */
class HouseholdIds {
  bytes = Buffer.allocUnsafe(16 * 4096);
  count = 0;

  constructor(private readonly ids: OrderedIds) {}

  /** Makes the next household's id; returns its number. */
  next(): number {
    if ((this.count + 1) * 16 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(bigger);
      this.bytes = bigger;
    }
    this.ids.write(this.bytes, this.count * 16);
    return this.count++;
  }
}

type Copy = (table: string, columns: string[], rows: Uint8Array, options?: CopyOptions) => Promise<void>;

const HOUSEHOLD_COLUMNS = ['id', 'commune_code', 'code', 'village_code', 'address', 'poverty_status', 'poverty_year', 'created_at', 'updated_at'];
const PERSON_COLUMNS = [
  'household_id',
  'id',
  'commune_code',
  'relationship',
  'full_name',
  'name_key',
  'birth_date',
  'sex',
  'citizen_id',
  'insurance_code',
  'ethnicity',
  'phone',
  'group_codes',
  'school',
  'grade',
  'created_at',
  'updated_at',
];
const CARD_COLUMNS = ['household_id', 'id', 'person_id', 'group_code', 'valid_from', 'valid_to', 'source', 'number', 'facility_code', 'collector_code', 'created_at'];

export type FreshConflict = { column: 'citizen_id' | 'insurance_code' | 'full_name'; value: string };

interface Household {
  /** Its number in HouseholdIds. */
  id: number;
  /** The counts of its commune + village (shared by the village's households). */
  counts: UnitCounts;
  /** "Covered until" (migration 0016) of the members counted so far: day number, -Infinity for a member without a card. */
  coveredUntil: number;
}

interface UnitCounts {
  commune: string;
  /** '' when the households have no village (as coverage_count keeps it). */
  village: string;
  persons: number;
  insured: number;
  /** persons per group of their card, then per span (`spanNumber`) */
  spans: Map<string, Map<number, number>>;
}

/**
 * A set of integers below 2^53 in one typed array (open addressing, at most half full): 8 to 16 bytes an
 * entry outside the JS heap, against about 40 in a Set of numbers.
 */
export class NumberSet {
  private slots = new Float64Array(1 << 12).fill(NaN);
  size = 0;

  /** Adds `value`; false when it was there already. */
  add(value: number): boolean {
    if (this.size * 2 >= this.slots.length) {
      const old = this.slots;
      this.slots = new Float64Array(old.length * 2).fill(NaN);
      for (const v of old) if (v === v) this.put(v);
    }
    if (!this.put(value)) return false;
    this.size++;
    return true;
  }

  private put(value: number): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = Math.imul((value >>> 0) ^ Math.imul((value / 4294967296) >>> 0, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i];
      if (s !== s) {
        slots[i] = value;
        return true;
      }
      if (s === value) return false;
    }
  }
}

/**
 * A string kept for the whole import: V8 may keep a longer cell as a slice of the CSV reader's whole
 * chunk; this keeps a copy of its own instead (short strings are always copied).
 */
const ownCopy = (value: string) => (value.length < 13 ? value : (' ' + value).slice(1));

/**
 * A span (two days from 1970-01-01, as `toEpochDay` counts them) as one number, exact (44 bits): a key that
 * costs a few bytes instead of a string. Days are counted from 1000-01-01 inside it (the earliest date a
 * cell may hold), so both halves are below 2^22 up to 9999-12-31.
 */
const DAY_ZERO = toEpochDay('1000-01-01');
const spanNumber = (from: number, to: number) => (from - DAY_ZERO) * 2 ** 22 + (to - DAY_ZERO);
const spanDays = (span: number) => [Math.floor(span / 2 ** 22) + DAY_ZERO, (span % 2 ** 22) + DAY_ZERO];

interface Chunk {
  rows: number;
  villages: { code: string; name: string; searchName: string; commune: string; local: string }[];
  households: BinaryRows;
  persons: BinaryRows;
  cards: BinaryRows;
  /** latest_card rows (migration 0023) of the persons finished while this chunk filled */
  latest: BinaryRows;
  /** coverage_count rows of the communes the file has left */
  spans: Batches;
}

/** A chunk to fill; its buffers start at the size of the last chunk's (saves growing them row by row). */
const emptyChunk = (last?: Chunk): Chunk => {
  const size = (rows?: BinaryRows) => (rows ? rows.byteLength + (rows.byteLength >> 3) : undefined);
  return {
    rows: 0,
    villages: [],
    households: new BinaryRows(size(last?.households)),
    persons: new BinaryRows(size(last?.persons)),
    cards: new BinaryRows(size(last?.cards)),
    latest: new BinaryRows(size(last?.latest)),
    spans: new Batches(),
  };
};

/**
 * Memory: what is kept for the whole file must stay small per row (a province is millions of rows): keys
 * are built as flat strings (`join`), not template literals (a tree of string pieces, several times the
 * size, that can also hold on to the CSV reader's chunk a cell was cut from); identifiers are kept as
 * numbers or bytes; spans as numbers per unit and group. A chunk's rows are kept, until they are written,
 * in COPY's binary format (`BinaryRows`), which the database reads faster than CSV text.
 */
export class FreshLoader {
  private chunk = emptyChunk();
  /** Households by commune, then household code. */
  private readonly households = new Map<string, Map<string, Household>>();
  /** The households of `commune`; the last row's household and its code. */
  private inLastCommune = new Map<string, Household>();
  private lastHousehold: Household | undefined;
  private lastHouseholdCode = '';
  /** The village named by the last row of this commune (a village is looked up when a row names another). */
  private lastVillage: string | undefined;
  /** Village code by commune + folded name (null: the name's slug is taken by another village). */
  private readonly villageByKey = new Map<string, string | null>();
  /** The same, by commune and the name as written (saves folding every row's village). */
  private readonly villageByName = new Map<string, Map<string, string | null>>();
  private readonly villageCodes = new Set<string>();
  /** Citizen ids (12 digits) and insurance codes (10 digits) met so far, as numbers (exact below 2^53). */
  private readonly citizenIds = new NumberSet();
  private readonly insuranceCodes = new NumberSet();
  private readonly sameNames = new Set<string>();
  /** persons per commune + village, and how many of them have a card */
  private readonly population = new Map<string, UnitCounts>();
  /** The same, by commune. */
  private readonly unitsOf = new Map<string, UnitCounts[]>();
  /**
   * The commune of the rows being added. Lists come commune by commune: when the file moves on to another
   * commune, the span counts of the one it leaves are written with the next chunk (the database does it
   * while the next rows are read, instead of after the last one). A commune met again later gets its
   * further counts added at the end.
   */
  private commune: string | undefined;
  private readonly communesWritten = new Set<string>();
  /** The month-end snapshots of every span count written. */
  private readonly snapshots = new MonthEndSnapshots();
  inserted = 0;
  private readonly ids = new OrderedIds();
  private readonly householdIds = new HouseholdIds(this.ids);
  /** The id of the person being added, and of its card. */
  private readonly personId = Buffer.alloc(16);
  private readonly cardId = Buffer.alloc(16);
  /** The last person's card that ends last so far (the first added of those ending that day: the smaller id), and its end. */
  private readonly latestCardId = Buffer.alloc(16);
  private latestTo = -Infinity;
  private latestCollector: string | undefined;
  /** The last person added (their row, commune and household): a further card of theirs may follow. */
  private lastPerson: { row: RegisterRow; commune: string; household: Household } | undefined;
  /** The cards of the last person (epoch days and group), counted into spans when the next person comes. */
  private readonly personCards: { from: number; to: number; group: string }[] = [];
  /** Renewals (commune, village, group, day number joined by \u0001) -> persons, for coverage_renewal. */
  private readonly renewals = new Map<string, number>();
  /** Card ends (commune, day number joined by \u0001) -> [ended, renewed], for card_end_count. */
  private readonly cardEnds = new Map<string, [number, number]>();
  /** Span starts (commune, group, day number joined by \u0001) -> persons, for coverage_day. */
  private readonly starts = new Map<string, number>();

  private constructor(
    private readonly trx: Kysely<DB>,
    private readonly copy: Copy,
    /** now() of the transaction (the default of created_at and updated_at), in COPY's binary form. */
    private readonly now: Uint8Array,
  ) {}

  /**
   * Empties the tables it fills (they hold no row: the caller checked, and holds them locked), and reads
   * the villages of the register (the only rows a fresh load can meet). Tables emptied by TRUNCATE in the
   * transaction are new files: COPY may write their rows frozen (FREEZE: no later rewrite of every page
   * to set hint bits, index-only scans for the foreign-key checks), and where the WAL is minimal (the
   * embedded database) nothing written to them goes through the WAL. A rollback or a kill keeps the old
   * files. person_group is emptied with person, which it references.
   */
  static async open(trx: Kysely<DB>, copy: Copy): Promise<FreshLoader> {
    await repo.emptyFreshTables(trx);
    const loader = new FreshLoader(trx, copy, timestamptzBytes(await repo.transactionMicroseconds(trx)));
    // span counts are written during the load (see `commune`), and the snapshots' rows made at the end
    await repo.snapshotTriggers(trx, 'disable');
    const villages = await allVillages(trx);
    for (const v of villages) {
      loader.villageCodes.add(v.code);
      if (v.parentCode && v.searchName && !loader.villageByKey.has(`${v.parentCode}\u0001${v.searchName}`))
        loader.villageByKey.set(`${v.parentCode}\u0001${v.searchName}`, v.code);
    }
    return loader;
  }

  get pendingRows(): number {
    return this.chunk.rows;
  }

  /** The village code of a row's village, creating the village when the commune has none of that name. */
  private village(commune: string, name: string): string | null {
    let byName = this.villageByName.get(commune);
    if (!byName) this.villageByName.set(commune, (byName = new Map()));
    const known = byName.get(name);
    if (known !== undefined) return known;
    const searchName = foldVietnamese(name);
    const key = `${commune}\u0001${searchName}`;
    let code = this.villageByKey.get(key);
    if (code === undefined) {
      const local = villageLocalCode(searchName);
      code = `${commune}.${local}`;
      if (this.villageCodes.has(code)) code = null;
      else {
        this.villageCodes.add(code);
        this.chunk.villages.push({ code, name, searchName, commune, local });
      }
      this.villageByKey.set(key, code);
    }
    byName.set(ownCopy(name), code);
    return code;
  }

  /**
   * Adds one valid row; returns why it cannot be added when it repeats an earlier row of the file.
   * The partition keys are those of the staged path: citizen id, else insurance code, else name + birth
   * date within the household.
   */
  add(r: RegisterRow, commune: string): FreshConflict | undefined {
    const nameKey = r.nameKey;
    const last = this.lastPerson;
    if (last !== undefined && r.card !== undefined && isFurtherCard(last.row, last.commune, r, commune)) {
      // another card of the last person: the card only
      this.addCard(r.card, last.household);
      this.chunk.rows++;
      this.inserted++;
      return undefined;
    }
    if (r.citizenId !== undefined) {
      if (!this.citizenIds.add(Number(r.citizenId))) return { column: 'citizen_id', value: r.citizenId };
    } else if (r.insuranceCode !== undefined) {
      if (!this.insuranceCodes.add(Number(r.insuranceCode))) return { column: 'insurance_code', value: r.insuranceCode };
    } else {
      const key = [commune, r.householdCode, nameKey, r.birthDate].join('\u0001');
      if (this.sameNames.has(key)) return { column: 'full_name', value: r.fullName };
      this.sameNames.add(key);
    }

    this.countPersonCards();
    const newCommune = commune !== this.commune;
    if (newCommune) {
      // (a commune met again keeps its further counts until the end)
      if (this.commune !== undefined && !this.communesWritten.has(this.commune)) this.writeSpans(this.commune, this.chunk.spans);
      this.commune = commune;
    }
    const c = this.chunk;
    // a household's members come one after another, and lists commune by commune: the last ones found
    // answer most rows without a look-up
    let household: Household | undefined;
    if (newCommune) {
      let inCommune = this.households.get(commune);
      if (!inCommune) this.households.set(commune, (inCommune = new Map()));
      this.inLastCommune = inCommune;
      this.lastVillage = undefined;
      this.lastHousehold = undefined;
    }
    if (r.householdCode === this.lastHouseholdCode && this.lastHousehold) household = this.lastHousehold;
    else household = this.inLastCommune.get(r.householdCode);
    // every row's village is created (as by the staged path), the first row of a household gives its own
    let villageCode: string | null = null;
    if (r.village !== undefined && (!household || r.village !== this.lastVillage)) villageCode = this.village(commune, r.village);
    this.lastVillage = r.village;
    const ids = this.householdIds;
    if (!household) {
      const unit = [commune, villageCode ?? ''].join('\u0001');
      let counts = this.population.get(unit);
      if (!counts) {
        this.population.set(unit, (counts = { commune, village: villageCode ?? '', persons: 0, insured: 0, spans: new Map() }));
        let units = this.unitsOf.get(commune);
        if (!units) this.unitsOf.set(commune, (units = []));
        units.push(counts);
      }
      household = { id: ids.next(), counts, coveredUntil: Infinity };
      this.inLastCommune.set(ownCopy(r.householdCode), household);
      const h = c.households;
      h.row(HOUSEHOLD_COLUMNS.length);
      h.uuid(ids.bytes, household.id * 16);
      h.text(commune);
      h.text(r.householdCode);
      h.text(villageCode);
      h.text(r.address);
      h.text(r.povertyStatus);
      h.int4(r.povertyYear);
      h.timestamptz(this.now);
      h.timestamptz(this.now);
    }
    this.lastHousehold = household;
    this.lastHouseholdCode = r.householdCode;
    const hid = household.id * 16;
    const pid = this.personId;
    this.ids.write(pid, 0);
    const p = c.persons;
    p.row(PERSON_COLUMNS.length);
    p.uuid(ids.bytes, hid);
    p.uuid(pid);
    p.text(commune);
    p.text(r.relationship);
    p.text(r.fullName);
    p.text(nameKey);
    p.date(toEpochDay(r.birthDate));
    p.text(r.sex);
    p.text(r.citizenId);
    p.text(r.insuranceCode);
    p.text(r.ethnicity);
    p.text(r.phone);
    p.textArray(r.groups.length > 1 ? [...r.groups].sort() : r.groups);
    p.text(r.school);
    p.int4(r.grade);
    p.timestamptz(this.now);
    p.timestamptz(this.now);
    this.lastPerson = { row: r, commune, household };
    if (r.card) this.addCard(r.card, household);
    household.counts.persons++;
    c.rows++;
    this.inserted++;
    return undefined;
  }

  /** Writes a card of the last person added (`personId`), and keeps it for their spans. */
  private addCard(card: NonNullable<RegisterRow['card']>, household: Household): void {
    const from = toEpochDay(card.from);
    const to = toEpochDay(card.to);
    const held = this.personCards;
    // (a card given twice for one person is added once, as by the staged path)
    for (const h of held) if (h.from === from && h.to === to && h.group === card.group) return;
    const k = this.chunk.cards;
    this.ids.write(this.cardId, 0);
    k.row(CARD_COLUMNS.length);
    k.uuid(this.householdIds.bytes, household.id * 16);
    k.uuid(this.cardId);
    k.uuid(this.personId);
    k.text(card.group);
    k.date(from);
    k.date(to);
    k.text(card.source ?? 'import');
    k.text(card.number);
    k.text(card.facilityCode);
    k.text(card.collectorCode);
    k.timestamptz(this.now);
    held.push({ from, to, group: card.group });
    if (to > this.latestTo) {
      this.latestTo = to;
      this.cardId.copy(this.latestCardId);
      this.latestCollector = card.collectorCode;
    }
  }

  /**
   * Counts the last person's cards as spans of their household's unit: overlapping and back-to-back cards
   * joined, each span with the group of its card that ends last (then starts last), as countSpans in
   * coverage-counts.repository.ts merges them.
   */
  private countPersonCards(): void {
    const cards = this.personCards;
    const last = this.lastPerson;
    if (last === undefined) return;
    let until = -Infinity;
    for (const c of cards) if (c.to > until) until = c.to;
    if (until < last.household.coveredUntil) last.household.coveredUntil = until;
    if (cards.length === 0) return;
    const latest = this.chunk.latest;
    latest.row(LATEST_COLUMNS.length);
    latest.uuid(this.householdIds.bytes, last.household.id * 16);
    latest.uuid(this.personId);
    latest.uuid(this.latestCardId);
    latest.date(this.latestTo);
    latest.text(this.latestCollector);
    this.latestTo = -Infinity;
    const counts = last.household.counts;
    const add = (group: string, from: number, to: number) => {
      let spans = counts.spans.get(group);
      if (!spans) counts.spans.set(group, (spans = new Map()));
      const span = spanNumber(from, to);
      spans.set(span, (spans.get(span) ?? 0) + 1);
    };
    counts.insured++;
    this.countCardEnds(cards, counts.commune);
    if (cards.length === 1) add(cards[0].group, cards[0].from, cards[0].to);
    else {
      cards.sort((a, b) => a.from - b.from || a.to - b.to);
      this.countRenewals(cards, counts);
      let { from, to, group } = cards[0];
      let groupTo = cards[0].to;
      let groupFrom = cards[0].from;
      for (let i = 1; i < cards.length; i++) {
        const c = cards[i];
        if (c.from > to + 1) {
          add(group, from, to);
          ({ from, to, group } = c);
          groupTo = c.to;
          groupFrom = c.from;
          continue;
        }
        if (c.to > to) to = c.to;
        if (c.to > groupTo || (c.to === groupTo && c.from > groupFrom)) {
          group = c.group;
          groupTo = c.to;
          groupFrom = c.from;
        }
      }
      add(group, from, to);
    }
    cards.length = 0;
  }

  /**
   * Counts a person's card ends (migration 0032; countCardEnds in coverage-counts.repository.ts): each card
   * ends on its last day, renewed when another of their cards ends later and starts at most
   * RENEWAL_WINDOW_DAYS days after.
   */
  private countCardEnds(cards: readonly { from: number; to: number }[], commune: string): void {
    for (const c of cards) {
      let renewed = 0;
      for (const n of cards) if (n.to > c.to && n.from <= c.to + RENEWAL_WINDOW_DAYS) renewed = 1;
      const key = commune + '\u0001' + c.to;
      const counts = this.cardEnds.get(key);
      if (counts) {
        counts[0]++;
        counts[1] += renewed;
      } else this.cardEnds.set(key, [1, renewed]);
    }
  }

  /**
   * Counts the renewals among a person's cards (sorted by start): a card starting while a card that started
   * earlier covers the day before (migration 0020; countRenewals in coverage-counts.repository.ts). A
   * person counts once per group and day.
   */
  private countRenewals(cards: readonly { from: number; to: number; group: string }[], counts: UnitCounts): void {
    let beforeEnd = -Infinity; // the latest end of the cards starting before the current start
    let groupEnd = -Infinity; // ... including those of the current start
    const seen = new Set<string>();
    for (let i = 0; i < cards.length; i++) {
      const c = cards[i];
      if (i > 0 && c.from !== cards[i - 1].from) beforeEnd = groupEnd;
      if (c.to > groupEnd) groupEnd = c.to;
      if (beforeEnd < c.from - 1) continue;
      const key = [counts.commune, counts.village, c.group, c.from].join('\u0001');
      if (seen.has(key)) continue;
      seen.add(key);
      this.renewals.set(key, (this.renewals.get(key) ?? 0) + 1);
    }
  }

  /** Takes the rows added so far; the returned function writes them (the caller may overlap it with reading). */
  take(): () => Promise<void> {
    const c = this.chunk;
    this.chunk = emptyChunk(c);
    return () => this.write(c);
  }

  /** Milliseconds spent per table (shown with COVERDESK_DEBUG_IMPORT=1). */
  readonly timings = new Map<string, number>();
  private async timed<T>(what: string, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.timings.set(what, (this.timings.get(what) ?? 0) + performance.now() - t0);
    }
  }

  private chunksWritten = 0;

  private async write(c: Chunk): Promise<void> {
    if (c.villages.length) await insertVillages(this.trx, c.villages);
    const table = async (name: string, columns: string[], key: 'households' | 'persons' | 'cards' | 'latest') => {
      if (c[key].rows) await this.timed(name, () => this.copy(name, columns, c[key].bytes(), FROZEN));
    };
    await table('household', HOUSEHOLD_COLUMNS, 'households');
    await table('person', PERSON_COLUMNS, 'persons');
    await table('card', CARD_COLUMNS, 'cards');
    await table('latest_card', LATEST_COLUMNS, 'latest');
    for (const rows of c.spans.all) await this.timed('coverage_count', () => this.copy('coverage_count', SPAN_COLUMNS, rows.bytes(), FROZEN));
    // (a kill test waits for this mark: rows are written, the transaction is open)
    if (process.env.COVERDESK_DEBUG_IMPORT === '1') process.stderr.write(`[import] chunk ${++this.chunksWritten} written (${c.rows} rows)\n`);
  }

  /**
   * Writes the span counts of `commune` counted so far into `rows` (coverage_count, in the order of its
   * primary key) and forgets them, having added them to the month-end snapshots.
   */
  private writeSpans(commune: string, rows: Batches): void {
    const units = this.unitsOf.get(commune);
    if (!units) return;
    for (const { village, spans: byGroup } of units.sort((a, b) => byKey(a.village, b.village))) {
      for (const group of [...byGroup.keys()].sort(byKey)) {
        const counts = byGroup.get(group)!;
        for (const span of Float64Array.from(counts.keys()).sort()) {
          const n = counts.get(span)!;
          const [from, to] = spanDays(span);
          const row = rows.next(6);
          row.text(commune);
          row.text(village);
          row.text(group);
          row.date(from);
          row.date(to);
          row.int4(n);
          this.snapshots.add(commune, group, from, to, n);
          const start = `${commune}\u0001${group}\u0001${from}`;
          this.starts.set(start, (this.starts.get(start) ?? 0) + n);
        }
      }
      byGroup.clear();
    }
    this.communesWritten.add(commune);
  }

  /**
   * Writes the rest of the kept aggregates (after the last chunk is written), which were empty
   * (`aggregatesAreEmpty`): the span counts of the last commune, and of communes met again after theirs
   * were written (added to those); the month-end snapshots of all the spans, computed here (the trigger
   * that keeps them for other changes is off during the load: src/domain/coverage-snapshots.ts); the
   * population per village. Each by COPY.
   */
  async finishCounts(): Promise<void> {
    this.countPersonCards();
    const spanRows = new Batches();
    const addedRows = new Batches();
    for (const commune of [...this.unitsOf.keys()].sort(byKey)) {
      const written = this.communesWritten.has(commune);
      const units = this.unitsOf.get(commune)!;
      if (units.some((u) => u.spans.size > 0)) this.writeSpans(commune, written ? addedRows : spanRows);
    }
    const { months, endDays } = this.snapshots.rows();
    const monthRows = new Batches();
    for (const m of months) {
      const rows = monthRows.next(5);
      rows.date(m.day);
      rows.text(m.commune);
      rows.text(m.group);
      rows.int4(m.persons);
      rows.int4(m.expiring30);
    }
    const endDayRows = new Batches();
    for (const e of endDays) {
      const rows = endDayRows.next(4);
      rows.date(e.day);
      rows.text(e.commune);
      rows.text(e.group);
      rows.int4(e.persons);
    }
    const populationRows = new Batches();
    for (const p of this.population.values()) {
      const rows = populationRows.next(4);
      rows.text(p.commune);
      rows.text(p.village);
      rows.int4(p.persons);
      rows.int4(p.insured);
    }
    const renewalRows = new Batches();
    for (const [key, persons] of this.renewals) {
      const [commune, village, group, day] = key.split('\u0001');
      const rows = renewalRows.next(5);
      rows.text(commune);
      rows.text(village);
      rows.text(group);
      rows.date(Number(day));
      rows.int4(persons);
    }
    // coverage_day: the span starts and the renewals per commune, group and day
    const days = new Map<string, [number, number]>();
    for (const [key, persons] of this.starts) days.set(key, [persons, 0]);
    for (const [key, persons] of this.renewals) {
      const [commune, , group, day] = key.split('\u0001');
      const k = `${commune}\u0001${group}\u0001${day}`;
      const counts = days.get(k);
      if (counts) counts[1] += persons;
      else days.set(k, [0, persons]);
    }
    const dayRows = new Batches();
    for (const [key, [started, renewed]] of days) {
      const [commune, group, day] = key.split('\u0001');
      const rows = dayRows.next(5);
      rows.date(Number(day));
      rows.text(commune);
      rows.text(group);
      rows.int4(started);
      rows.int4(renewed);
    }
    const cardEndRows = new Batches();
    for (const [key, [ended, renewed]] of this.cardEnds) {
      const [commune, day] = key.split('\u0001');
      const rows = cardEndRows.next(4);
      rows.text(commune);
      rows.date(Number(day));
      rows.int4(ended);
      rows.int4(renewed);
    }
    const coverageRows = new Batches();
    const ids = this.householdIds.bytes;
    for (const inCommune of this.households.values())
      for (const h of inCommune.values()) {
        if (h.coveredUntil === Infinity) continue;
        const rows = coverageRows.next(3);
        rows.uuid(ids, h.id * 16);
        rows.text(h.counts.village || null);
        rows.date(h.coveredUntil);
      }
    const copyAll = async (table: string, columns: string[], batches: Batches, options?: CopyOptions) => {
      for (const rows of batches.all) await this.copy(table, columns, rows.bytes(), options);
    };
    // (the snapshots may keep rows that fell to zero: nothing else, the register being empty)
    await repo.emptySnapshots(this.trx);
    await this.timed('coverage_count', async () => {
      await copyAll('coverage_count', SPAN_COLUMNS, spanRows, FROZEN);
      if (addedRows.all.length) {
        await repo.createAddedSpans(this.trx);
        await copyAll(repo.ADDED_SPANS, SPAN_COLUMNS, addedRows);
        await repo.addAddedSpans(this.trx);
      }
    });
    await repo.snapshotTriggers(this.trx, 'enable');
    await this.timed('coverage_month', () => copyAll('coverage_month', ['day', 'commune_code', 'group_code', 'persons', 'expiring30'], monthRows));
    await this.timed('coverage_end_day', () => copyAll('coverage_end_day', ['day', 'commune_code', 'group_code', 'persons'], endDayRows));
    await this.timed('population_count', () => copyAll('population_count', ['commune_code', 'village_code', 'persons', 'ever_insured'], populationRows));
    await this.timed('coverage_renewal', () => copyAll('coverage_renewal', ['commune_code', 'village_code', 'group_code', 'day', 'persons'], renewalRows, FROZEN));
    await this.timed('card_end_count', () => copyAll('card_end_count', ['commune_code', 'day', 'ended', 'renewed'], cardEndRows, FROZEN));
    await this.timed('coverage_day', () => copyAll('coverage_day', ['day', 'commune_code', 'group_code', 'started', 'renewed'], dayRows, FROZEN));
    await this.timed('household_coverage', () => copyAll('household_coverage', ['household_id', 'village_code', 'covered_until'], coverageRows, FROZEN));
    // the last person's latest card (the chunks took the others')
    const latest = this.chunk.latest;
    if (latest.rows) await this.timed('latest_card', () => this.copy('latest_card', LATEST_COLUMNS, latest.bytes(), FROZEN));
    this.chunk.latest = new BinaryRows();
  }
}

/** Rows for COPY in batches of at most 100,000 (one COPY each). */
class Batches {
  readonly all: BinaryRows[] = [];

  /** The batch that takes the next row, its row begun (`fields` of it to write). */
  next(fields: number): BinaryRows {
    let rows = this.all[this.all.length - 1];
    if (!rows || rows.rows >= 100_000) this.all.push((rows = new BinaryRows()));
    rows.row(fields);
    return rows;
  }
}

const LATEST_COLUMNS = ['household_id', 'person_id', 'card_id', 'valid_to', 'collector_code'];
const SPAN_COLUMNS = ['commune_code', 'village_code', 'group_code', 'span_from', 'span_to', 'persons'];
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** How the load COPYs into the tables it fills (repo.FRESH_TABLES). */
const FROZEN: CopyOptions = { freeze: true };

/**
 * The secondary indexes of the tables a fresh load fills that stay live during the load, by engine: the database maintains them while
 * the main thread reads and checks the next rows (the reading is bound by the main thread: the database
 * has time to spare then), instead of building them after the last row, when everything else waits for it.
 * Only indexes whose keys arrive in order, or grouped: the ids the load makes (they increase, so each row
 * adds to the index's right edge) and the ones that lead with the commune (lists come commune by
 * commune). Keeping the citizen id and insurance code indexes live too (random keys) made the server the
 * slower side. On PGlite the person index that leads with the commune made the reading wait 2.1-2.4 s for
 * the database thread and the import was no faster; the id indexes live took 0.5-0.7 s off it, the
 * household ones 0.2-0.3 s more, and no difference once CSV decoding got faster and the database thread
 * became as busy as the main thread in the reading (BENCHMARKS.md, sessions 5, 7 and 8).
 */
export const liveIndexes = (engine: Engine): string[] => [
  'person_id_idx',
  'card_id_idx',
  'household_commune_code_key',
  'household_village_idx',
  ...(engine === 'postgres' ? ['person_commune_name_idx'] : []),
];

/**
 * Is `r` a further card of the person on the row before (`last`): the same household, name and birth
 * date, and the same person by the keys of the duplicate check (citizen id, else insurance code, else
 * household + name + birth date)?
 */
function isFurtherCard(last: RegisterRow, lastCommune: string, r: RegisterRow, commune: string): boolean {
  if (r.nameKey !== last.nameKey || r.birthDate !== last.birthDate || r.householdCode !== last.householdCode || commune !== lastCommune) return false;
  if (r.citizenId !== undefined) return r.citizenId === last.citizenId;
  if (last.citizenId !== undefined) return false;
  if (r.insuranceCode !== undefined) return r.insuranceCode === last.insuranceCode;
  return last.insuranceCode === undefined;
}
