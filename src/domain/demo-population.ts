/**
 * A deterministic, realistic synthetic population register for demos, tests and benchmarks: households,
 * persons and card history for a highland province modelled on Lào Cai (province code 15 since 2025,
 * made of the old Lào Cai, birth-registration code 010, and Yên Bái, code 015).
 *
 * Pure: the seed and "today" are arguments; the same options always give the same output. Households
 * are produced one at a time (a generator), so millions of persons never sit in memory together.
 *
 * What is modelled (rough shares, Lào Cai-like):
 * - ethnic groups: Kinh ~35%, H'Mông ~25%, Tày ~15%, Dao ~13%, Giáy ~5%, Nùng, Thái, Hà Nhì, Phù Lá;
 *   names follow each group's customs (H'Mông "Giàng A Sử", Dao "Tẩn Láo Lở", Kinh "Nguyễn Thị Hoa");
 * - communes (wards: "Tổ dân phố N"; rural: "Thôn N", "Bản Na Lốc"), 8-20 villages each, some villages or
 *   whole communes in difficult areas;
 * - households of 1-8 persons (mean ~3.8): head, spouse, children, parents, married child, grandchildren;
 * - poverty status (poor, near-poor, average agricultural) and the matching groups HN / CN / GB;
 *   TE under 6, HS pupils with their grade, SV some 18-22, DT minorities in difficult areas, BT some 80+,
 *   GD for everyone else;
 * - cards: ~93% covered today (state-paid groups by calendar year, pupils by school year Oct-Sep, children
 *   from birth to 72 months, households 12 months from their own renewal date), of them ~5% expiring
 *   within 60 days; ~4% lapsed (last card ended 1-14 months ago), ~2.5% never insured;
 * - card history two years back (the dashboard's trend: 12 months and each a year earlier): renewals one after the other, state-paid groups and pupils without a
 *   break, some households joining in the last year or back after a gap; about 1-2% more persons covered
 *   than a year earlier (Lào Cai's register: 88% of the population at the end of October 2025, the
 *   country about 95%).
 */
import { addDays, addMonths, addYears, dateParts, endOfPeriod, makeDate } from './calendar';
import { daysInMonth, formatDateVi, isIsoDate, type IsoDate } from './dates';
import { centurySexDigit, type Sex } from './identity';
import type { CanonicalColumn, PovertyStatus } from './register-row';

// ---------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------

export interface DemoCard {
  group: string;
  from: IsoDate;
  to: IsoDate;
}

export interface DemoPerson {
  fullName: string;
  /** 'head' for the head of household, else a Vietnamese word as `parseRelationship` returns it ('vợ', 'con', ...). */
  relationship: string;
  birthDate: IsoDate;
  sex: Sex;
  /** 12 digits, consistent with birth date and sex; unique within one generated population. */
  citizenId: string;
  /** Legacy 10-digit social insurance code; unique within one generated population. */
  insuranceCode?: string;
  ethnicity: string;
  phone?: string;
  /** Participant group codes, the card group first. */
  groups: string[];
  /** School grade 1-12 in the school year of `today`, for pupils (HS). */
  grade?: number;
  /** Card history, oldest first; empty for a person never insured. May end with a card starting after today. */
  cards: DemoCard[];
}

export interface DemoHousehold {
  /** Commune code + 6-digit number, unique within the population. */
  householdCode: string;
  communeCode: string;
  /** Village name: 'Thôn 3', 'Bản Na Lốc', 'Tổ dân phố 5'. */
  village: string;
  /** Commune code + 3-digit village number. */
  villageCode: string;
  address: string;
  /** The village is in a difficult area (ethnic-minority members get group DT). */
  difficultArea: boolean;
  povertyStatus: PovertyStatus;
  /** Year of the poverty list, for poor, near-poor and average-agricultural households. */
  povertyYear?: number;
  members: DemoPerson[];
}

export interface DemoPopulationOptions {
  communes: readonly { code: string; name: string }[];
  /** Exact number of persons to generate (integer >= 0). */
  persons: number;
  /** Any integer; taken modulo 2^32. */
  seed: number;
  today: IsoDate;
  /** Last part of addresses; default 'tỉnh Lào Cai'. */
  provinceName?: string;
  /**
   * false: each person's cards are only those of today's state (the card in force or the last one, and
   * renewals bought ahead), without the earlier ones; everything else is the same. Faster, for a template
   * file that holds one card per person. Default true.
   */
  history?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------------

/** mulberry32: a small, fast 32-bit PRNG; good enough for synthetic data, not for anything secret. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn from cumulative weights (last element = total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** FNV-1a, for deterministic per-key offsets. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------------
// Names and ethnic groups
// ---------------------------------------------------------------------------------------------------

interface Ethnicity {
  name: string;
  /** Share of the province's population, percent. */
  weight: number;
  families: readonly string[];
  /** Cumulative weights of `families` (the first ones are more common). */
  familyWeights: readonly number[];
  maleMiddles: readonly string[];
  femaleMiddles: readonly string[];
  maleGiven: readonly string[];
  femaleGiven: readonly string[];
  /** Share of women named without a middle word ("Chảo Mẩy"). */
  femaleTwoWord: number;
  /** Mean household size is larger in most minority groups. */
  kinh: boolean;
}

/** Family names with a Zipf-like weighting: the first is the most common. */
function familyWeights(count: number): number[] {
  return cumulate(Array.from({ length: count }, (_, i) => 1 / (i + 1.5)));
}

function ethnicity(data: Omit<Ethnicity, 'familyWeights' | 'femaleTwoWord' | 'kinh'> & { femaleTwoWord?: number; kinh?: boolean }): Ethnicity {
  return { femaleTwoWord: 0, kinh: false, ...data, familyWeights: familyWeights(data.families.length) };
}

const TAY_MALE = ['Chiến', 'Thanh', 'Quyết', 'Tiến', 'Hưng', 'Toàn', 'Bình', 'Đoàn', 'Sinh', 'Lợi', 'Thắng', 'Hậu', 'Khánh', 'Cường', 'Nghĩa', 'Vượng'];
const TAY_FEMALE = ['Lan', 'Nhâm', 'Xuân', 'Hoa', 'Thơm', 'Luyến', 'Duyên', 'Hạnh', 'Phượng', 'Thảo', 'Liên', 'Hiền', 'Nga', 'Dung', 'Thoa', 'Mến'];

const ETHNICITIES: readonly Ethnicity[] = [
  ethnicity({
    name: 'Kinh',
    weight: 35,
    kinh: true,
    families: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Phan', 'Đào', 'Đinh', 'Trịnh', 'Mai', 'Tạ', 'Lương', 'Hà', 'Cao'],
    maleMiddles: ['Văn', 'Văn', 'Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Công', 'Thanh', 'Xuân', 'Tiến', 'Ngọc', 'Mạnh', 'Trung'],
    femaleMiddles: ['Thị', 'Thị', 'Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Hồng', 'Phương', 'Bích', 'Kim', 'Thùy'],
    maleGiven: ['An', 'Bình', 'Cường', 'Dũng', 'Đức', 'Hải', 'Hùng', 'Huy', 'Khánh', 'Long', 'Minh', 'Nam', 'Phong', 'Quân', 'Sơn', 'Thắng', 'Tuấn', 'Việt', 'Hiếu', 'Trung', 'Kiên', 'Thành', 'Hoàng', 'Tùng', 'Lâm', 'Phúc', 'Khôi', 'Đạt', 'Duy', 'Toàn'],
    femaleGiven: ['Hoa', 'Lan', 'Hương', 'Mai', 'Hằng', 'Linh', 'Ngọc', 'Thảo', 'Trang', 'Yến', 'Nga', 'Hà', 'Thủy', 'Huyền', 'Phương', 'Dung', 'Hạnh', 'Loan', 'Nhung', 'Vân', 'Anh', 'Chi', 'Giang', 'Oanh', 'Hiền', 'Tâm', 'Ánh', 'Quỳnh', 'Trâm', 'Diệp'],
  }),
  ethnicity({
    name: "H'Mông",
    weight: 25,
    families: ['Giàng', 'Vàng', 'Sùng', 'Thào', 'Lý', 'Hảng', 'Mùa', 'Lầu', 'Cứ', 'Hầu', 'Tráng', 'Vừ', 'Ly', 'Sình', 'Mua'],
    maleMiddles: ['A', 'A', 'A', 'Seo', 'Seo', 'Văn', 'Mí', 'Chứ'],
    femaleMiddles: ['Thị', 'Thị', 'Thị', 'Seo', 'Thị'],
    maleGiven: ['Sử', 'Dế', 'Páo', 'Chở', 'Chứ', 'Lử', 'Pó', 'Sài', 'Cở', 'Dình', 'Giống', 'Lềnh', 'Lùng', 'Pao', 'Súa', 'Tủa', 'Vư', 'Sính', 'Dùng', 'Mang', 'Tỉnh', 'Chư', 'Dìn', 'Phử'],
    femaleGiven: ['Mai', 'Dợ', 'Mỷ', 'Dung', 'Chía', 'Say', 'Sua', 'Mỉ', 'Sú', 'Pàng', 'Dí', 'Súa', 'Pằng', 'Xúa', 'Ca', 'Máy', 'Lan', 'Của', 'Chi', 'Vư', 'Sinh'],
  }),
  ethnicity({
    name: 'Tày',
    weight: 15,
    families: ['Hoàng', 'Nông', 'La', 'Ma', 'Lục', 'Triệu', 'Hà', 'Vi', 'Lường', 'Đàm', 'Bế', 'Nguyễn', 'Lưu', 'Hứa'],
    maleMiddles: ['Văn', 'Văn', 'Văn', 'Đức', 'Minh'],
    femaleMiddles: ['Thị', 'Thị', 'Thị', 'Thu'],
    maleGiven: TAY_MALE,
    femaleGiven: TAY_FEMALE,
  }),
  ethnicity({
    name: 'Dao',
    weight: 13,
    femaleTwoWord: 0.25,
    families: ['Tẩn', 'Chảo', 'Bàn', 'Lý', 'Đặng', 'Triệu', 'Phàn', 'Lò'],
    maleMiddles: ['Láo', 'Láo', 'Văn', 'A', 'Seo', 'Ông', 'Phù', 'Kim'],
    femaleMiddles: ['Thị', 'Tả', 'Sử', 'Lở', 'Thị'],
    maleGiven: ['Lở', 'Chài', 'Chàn', 'Phin', 'Quẩy', 'Tả', 'Dùn', 'Kiếm', 'Sài', 'Vần', 'Chòi', 'Phú', 'Sơn', 'Quyên', 'Sành', 'Pu', 'Sếnh', 'Chỉn'],
    femaleGiven: ['Mẩy', 'Mẩy', 'Sành', 'Sáy', 'Mùi', 'Lở', 'Chiêm', 'Xuân', 'Dín', 'Lỷ', 'Quẩy', 'Nái', 'Xoan'],
  }),
  ethnicity({
    name: 'Giáy',
    weight: 5,
    families: ['Lù', 'Vương', 'Sầm', 'Hoàng', 'Lồ', 'Lục', 'Lò', 'Pờ'],
    maleMiddles: ['Văn', 'Văn', 'Văn', 'Seo'],
    femaleMiddles: ['Thị', 'Thị', 'Thị'],
    maleGiven: ['Chín', 'Sơn', 'Pha', 'Dũng', 'Thành', 'Lử', 'Hoan', 'Nghiệp', 'Sinh', 'Tiến', 'Quang', 'Vần'],
    femaleGiven: ['Xuân', 'Hương', 'Minh', 'Thu', 'Vân', 'Sỉ', 'Mai', 'Lan', 'Hoa', 'Phượng', 'Sen'],
  }),
  ethnicity({
    name: 'Nùng',
    weight: 2.5,
    families: ['Nông', 'Hoàng', 'Lương', 'Chu', 'Vi', 'Lục', 'Mã', 'Sầm'],
    maleMiddles: ['Văn', 'Văn', 'Văn', 'Seo', 'A'],
    femaleMiddles: ['Thị', 'Thị', 'Thị'],
    maleGiven: ['Páo', 'Lìn', 'Sếnh', 'Sáng', 'Phủ', ...TAY_MALE.slice(0, 8)],
    femaleGiven: ['Sỉnh', 'Pằng', 'Phà', ...TAY_FEMALE.slice(0, 8)],
  }),
  ethnicity({
    name: 'Thái',
    weight: 1.5,
    families: ['Lò', 'Lường', 'Quàng', 'Cầm', 'Tòng', 'Vì', 'Điêu', 'Hà'],
    maleMiddles: ['Văn', 'Văn', 'Văn'],
    femaleMiddles: ['Thị', 'Thị', 'Thị'],
    maleGiven: ['Ún', 'Piêng', 'Xuân', 'Khởi', 'Chăn', 'Pánh', 'Hoan', 'Inh', 'Khiêm', 'Sương'],
    femaleGiven: ['Ánh', 'Ban', 'Ngân', 'Xuân', 'Ọn', 'Hoa', 'Thoong', 'Pọm', 'Mai', 'Lả'],
  }),
  ethnicity({
    name: 'Hà Nhì',
    weight: 1.5,
    families: ['Lỳ', 'Chu', 'Phu', 'Pờ', 'Lò', 'Sừ', 'Hù', 'Ly'],
    maleMiddles: ['Xé', 'Gò', 'Ha', 'A', 'Và', 'Mỳ'],
    femaleMiddles: ['Mé', 'Thị', 'Xá', 'Mé'],
    maleGiven: ['Chà', 'Chừ', 'Gia', 'Pháo', 'Dì', 'Lù', 'Mò', 'Sừ', 'Hừ', 'Cà', 'Gió', 'Xá'],
    femaleGiven: ['Chà', 'Gió', 'Mé', 'Xé', 'Pỏ', 'Chừ', 'Mừ', 'Lò', 'Dế', 'Ca'],
  }),
  ethnicity({
    // Xạ Phang and other local branches are recorded as Phù Lá, one of the 54 official ethnic groups.
    name: 'Phù Lá',
    weight: 2,
    families: ['Vàng', 'Sần', 'Lý', 'Lồ', 'Pờ', 'Ma', 'Chảo', 'Hoàng'],
    maleMiddles: ['Văn', 'Văn', 'Seo', 'A'],
    femaleMiddles: ['Thị', 'Thị', 'Thị'],
    maleGiven: ['Sử', 'Thắng', 'Chiến', 'Lâm', 'Chỉn', 'Sáng', 'Phìn', 'Chúng', 'Lồng', 'Sơn'],
    femaleGiven: ['Sen', 'Pà', 'Mai', 'Dung', 'Sâm', 'Chỉ', 'Lan', 'Mỷ', 'Sính', 'Thu'],
  }),
];

const ETHNICITY_WEIGHTS = cumulate(ETHNICITIES.map((e) => e.weight));
const KINH = ETHNICITIES[0];

/** Ethnic groups with their province-wide shares (percent), for tests and documentation. */
export const DEMO_ETHNIC_SHARES: Readonly<Record<string, number>> = Object.fromEntries(ETHNICITIES.map((e) => [e.name, e.weight]));

function familyName(rng: Rng, e: Ethnicity): string {
  return e.families[rng.weighted(e.familyWeights)];
}

function personName(rng: Rng, e: Ethnicity, family: string, sex: Sex): string {
  if (sex === 'female') {
    const given = rng.pick(e.femaleGiven);
    if (e.femaleTwoWord > 0 && rng.chance(e.femaleTwoWord)) return `${family} ${given}`;
    return `${family} ${rng.pick(e.femaleMiddles)} ${given}`;
  }
  return `${family} ${rng.pick(e.maleMiddles)} ${rng.pick(e.maleGiven)}`;
}

// ---------------------------------------------------------------------------------------------------
// Villages
// ---------------------------------------------------------------------------------------------------

/** Highland hamlet and village names of the Lào Cai area. */
const HAMLET_NAMES = [
  'Na Lốc', 'Sín Chải', 'Lao Chải', 'Tả Van', 'Cát Cát', 'Nậm Cang', 'Séo Mý Tỷ', 'Y Linh Hồ', 'Hầu Thào', 'Tả Phìn',
  'Sả Séng', 'Lùng Khấu Nhin', 'Pả Cheo', 'Nậm Chảy', 'Cốc Ly', 'Lùng Phình', 'Sán Chải', 'Na Khui', 'Cốc Mỳ',
  'Nàn Sán', 'Tả Củ Tỷ', 'Lử Thẩn', 'Sín Chéng', 'Nậm Mòn', 'Làng Mô', 'Nậm Pung', 'Na Hối', 'Nậm Lúc', 'Khe Mụ',
  'Khe Lếch', 'Nà Rịa', 'Làng Giàng', 'Tả Thàng', 'Phìn Hồ', 'Pờ Hồ', 'Ky Quan San', 'Trung Hồ', 'Hòa Sư Pan',
  'Mường Bo', 'Nậm Toóng', 'Ý Lình Hồ', 'Séo Trung Hồ', 'Lũng Pô', 'A Lù', 'Tòng Sành', 'Phìn Ngan', 'Ngải Thầu',
  'Sàng Ma Sáo', 'Dền Thàng', 'Trịnh Tường', 'Nậm Chạc', 'Pa Cheo', 'Bản Vược', 'Cốc Pa', 'Tả Ngải Chồ', 'Nhìu Cồ San',
  'Sín Lùng Chải', 'Ma Cái Thàng', 'Cán Cấu', 'Lùng Sán', 'Hoàng Thu Phố', 'Nậm Khánh', 'Nậm Đét', 'Bản Liền',
  'Khánh Yên', 'Nậm Tha', 'Minh Lương', 'Làng Cúng', 'Làng Lập', 'Tà Hừ', 'Phình Hồ', 'Khau Phạ', 'Nả Háng',
];

/** Names of lowland villages (used as 'Thôn ...'). */
const VILLAGE_NAMES = [
  'Làng Mạ', 'Phú Hà', 'Đồng Tâm', 'Thái Bình', 'Tân Lập', 'Quyết Tiến', 'Bắc Hà', 'Hợp Nhất', 'Xuân Quang', 'Phong Niên',
  'An Thành', 'Tiến Lợi', 'Hòa Lạc', 'Trung Tâm', 'Cửa Cải', 'Đông Hải', 'Minh Tân', 'Thắng Lợi', 'Việt Cường', 'Vạn Hòa',
];

interface Village {
  name: string;
  code: string;
  difficult: boolean;
}

interface CommuneSetup {
  code: string;
  name: string;
  ward: boolean;
  dominant: Ethnicity;
  villages: Village[];
  villageWeights: number[];
}

function shuffledPrefix<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = 0; i < Math.min(count, copy.length); i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

function setUpCommune(rng: Rng, commune: { code: string; name: string }): CommuneSetup {
  const folded = commune.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const ward = folded.startsWith('phuong');
  const dominant = ward ? KINH : ETHNICITIES[rng.weighted(ETHNICITY_WEIGHTS)];
  const communeDifficult = !ward && rng.chance(dominant.kinh ? 0.1 : 0.55);
  const count = rng.int(8, 20);
  const villages: Village[] = [];
  const code = (i: number) => `${commune.code}${String(i + 1).padStart(3, '0')}`;
  if (ward) {
    for (let i = 0; i < count; i++) villages.push({ name: `Tổ dân phố ${i + 1}`, code: code(i), difficult: false });
  } else {
    const highland = !dominant.kinh;
    const hamlets = shuffledPrefix(rng, highland ? HAMLET_NAMES : VILLAGE_NAMES, count);
    let numbered = 0;
    for (let i = 0; i < count; i++) {
      let name: string;
      const named = i < hamlets.length && rng.chance(highland ? 0.8 : 0.35);
      if (named) name = highland && rng.chance(0.7) ? `Bản ${hamlets[i]}` : `Thôn ${hamlets[i]}`;
      else name = `Thôn ${++numbered}`;
      const difficult = communeDifficult || rng.chance(highland ? 0.3 : 0.06);
      villages.push({ name, code: code(i), difficult });
    }
  }
  const villageWeights = cumulate(villages.map(() => 0.4 + rng.next()));
  return { code: commune.code, name: commune.name, ward, dominant, villages, villageWeights };
}

// ---------------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------------

/** Multipliers coprime with 10^6 and 10^8: counter -> number is a bijection, so numbers never repeat. */
const CITIZEN_STEP = 7_654_321;
const INSURANCE_STEP = 12_345_679;

/** Birth-registration provinces (old codes): old Lào Cai, old Yên Bái, and a few people born elsewhere. */
const BIRTH_PROVINCES = ['010', '015', '001', '025', '002', '014', '019', '008'];
const BIRTH_PROVINCE_WEIGHTS = cumulate([58, 37, 1.5, 1, 0.8, 0.7, 0.5, 0.5]);
/** Old BHXH province codes that lead legacy insurance codes. */
const INSURANCE_PROVINCES = ['10', '15'];

const MOBILE_PREFIXES = [
  '086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039', '088', '091', '094', '081', '082',
  '083', '084', '085', '070', '076', '077', '078', '079', '089', '090', '093', '056', '058', '052', '059', '099',
];

class IdentifierSource {
  private readonly citizenCounters = new Map<string, number>();
  private readonly insuranceCounters = new Map<string, number>();

  constructor(private readonly seed: number) {}

  citizenId(provinceCode: string, birthYear: number, sex: Sex): string {
    const digit = centurySexDigit(birthYear, sex);
    if (digit === undefined) throw new RangeError(`birth year out of range: ${birthYear}`);
    const key = `${provinceCode}${digit}${String(birthYear % 100).padStart(2, '0')}`;
    const n = this.citizenCounters.get(key) ?? 0;
    if (n >= 1_000_000) throw new RangeError(`more than a million citizen ids for ${key}`);
    this.citizenCounters.set(key, n + 1);
    const serial = (hash(key, this.seed) % 1_000_000) + n * CITIZEN_STEP;
    return `${key}${String(serial % 1_000_000).padStart(6, '0')}`;
  }

  insuranceCode(provinceCode: string): string {
    const n = this.insuranceCounters.get(provinceCode) ?? 0;
    if (n >= 100_000_000) throw new RangeError('more than 10^8 insurance codes for one province');
    this.insuranceCounters.set(provinceCode, n + 1);
    const serial = (hash(provinceCode, this.seed ^ 0x5bd1e995) % 100_000_000) + n * INSURANCE_STEP;
    return `${provinceCode}${String(serial % 100_000_000).padStart(8, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Households and members
// ---------------------------------------------------------------------------------------------------

/** Household size 1..8 (index 0 = 1 person). Kinh mean ~3.5, minorities ~4.1; overall ~3.8. */
const SIZE_WEIGHTS_KINH = cumulate([0.1, 0.19, 0.22, 0.25, 0.12, 0.07, 0.03, 0.02]);
const SIZE_WEIGHTS_MINORITY = cumulate([0.07, 0.14, 0.19, 0.23, 0.16, 0.1, 0.06, 0.05]);

/** Card group order: the first group a person has is the one on the card. */
const CARD_PRIORITY = ['TE', 'BT', 'HN', 'DT', 'CN', 'HS', 'SV', 'GB', 'GD'];

/** Groups whose cards run by calendar year (the state or the list pays once a year). */
const CALENDAR_YEAR_GROUPS = new Set(['HN', 'DT', 'BT']);

interface Sketch {
  relationship: string;
  sex: Sex;
  age: number;
  family: string;
  ethnicity: Ethnicity;
}

/** Household members as (relationship, sex, age, family name); the head comes first. */
function sketchHousehold(rng: Rng, e: Ethnicity, size: number): Sketch[] {
  const out: Sketch[] = [];
  const otherFamily = (avoid: string) => {
    for (let i = 0; i < 4; i++) {
      const f = familyName(rng, e);
      if (f !== avoid) return f;
    }
    return familyName(rng, e);
  };

  // Head: bigger households have older heads.
  let headAge: number;
  if (size === 1) {
    const band = rng.next();
    headAge = band < 0.3 ? rng.int(20, 39) : band < 0.6 ? rng.int(40, 64) : rng.int(65, 96);
  } else {
    headAge = Math.max(rng.int(26, 62) + (rng.chance(0.3) ? rng.int(0, 22) : 0), 24 + 2 * (size - 2));
  }
  const headSex: Sex = rng.chance(size === 1 ? 0.5 : 0.8) ? 'male' : 'female';
  const headFamily = familyName(rng, e);
  out.push({ relationship: 'head', sex: headSex, age: headAge, family: headFamily, ethnicity: e });
  let slots = size - 1;

  // Spouse.
  let spouse: Sketch | undefined;
  if (slots > 0 && rng.chance(size === 2 ? 0.75 : 0.88)) {
    const sex: Sex = headSex === 'male' ? 'female' : 'male';
    const gap = rng.int(0, 6);
    const age = Math.min(99, Math.max(18, headSex === 'male' ? headAge - gap : headAge + gap));
    const spouseEthnicity = rng.chance(0.05) ? ETHNICITIES[rng.weighted(ETHNICITY_WEIGHTS)] : e;
    spouse = {
      relationship: headSex === 'male' ? 'vợ' : 'chồng',
      sex,
      age,
      family: spouseEthnicity === e ? otherFamily(headFamily) : familyName(rng, spouseEthnicity),
      ethnicity: spouseEthnicity,
    };
    out.push(spouse);
    slots--;
  }
  const fatherFamily = headSex === 'male' ? headFamily : (spouse?.family ?? headFamily);
  const motherAge = headSex === 'female' ? headAge : (spouse?.age ?? headAge - 3);

  // Parents of the head, living with a younger head.
  if (slots > 0 && headAge <= 58 && rng.chance(slots >= 3 ? 0.3 : 0.12)) {
    const both = slots >= 2 && rng.chance(0.35);
    const fatherAge = Math.min(100, headAge + rng.int(22, 34));
    const motherAgeOfHead = Math.min(100, headAge + rng.int(19, 30));
    if (both || rng.chance(0.35)) {
      out.push({ relationship: 'cha', sex: 'male', age: fatherAge, family: headFamily, ethnicity: e });
      slots--;
    }
    if (slots > 0 && (both || out[out.length - 1].relationship !== 'cha')) {
      out.push({ relationship: 'mẹ', sex: 'female', age: motherAgeOfHead, family: otherFamily(headFamily), ethnicity: e });
      slots--;
    }
  }

  // A married child with grandchildren, in older heads' households.
  if (slots >= 2 && headAge >= 48 && rng.chance(0.55)) {
    const childSex: Sex = rng.chance(0.75) ? 'male' : 'female';
    const childAge = Math.max(18, motherAge - rng.int(19, 30));
    out.push({ relationship: 'con', sex: childSex, age: childAge, family: fatherFamily, ethnicity: e });
    slots--;
    let grandFamily = fatherFamily;
    if (slots >= 2 && rng.chance(0.8)) {
      const inLawFamily = otherFamily(fatherFamily);
      out.push({
        relationship: childSex === 'male' ? 'con dâu' : 'con rể',
        sex: childSex === 'male' ? 'female' : 'male',
        age: Math.max(18, childAge + (childSex === 'male' ? -rng.int(0, 5) : rng.int(0, 5))),
        family: inLawFamily,
        ethnicity: e,
      });
      slots--;
      if (childSex === 'female') grandFamily = inLawFamily;
    }
    const parentAge = childSex === 'female' ? childAge : childAge - 2;
    while (slots > 0) {
      const age = rng.int(0, Math.max(0, Math.min(17, parentAge - 20)));
      out.push({ relationship: 'cháu', sex: rng.chance(0.52) ? 'male' : 'female', age, family: grandFamily, ethnicity: e });
      slots--;
    }
  }

  // Children of the head.
  while (slots > 0) {
    const maxOffset = Math.max(19, Math.min(40, motherAge));
    const age = Math.max(0, motherAge - rng.int(19, maxOffset));
    out.push({ relationship: 'con', sex: rng.chance(0.52) ? 'male' : 'female', age, family: fatherFamily, ethnicity: e });
    slots--;
  }
  return out;
}

/** Last day of a child's TE card: 30 Sep of the year they turn 6 if born by 30 Sep, else end of the month they turn 72 months. */
function childCardEnd(birthDate: IsoDate): IsoDate {
  const { year } = dateParts(birthDate);
  if (birthDate.slice(5) <= '09-30') return makeDate(year + 6, 9, 30);
  const turns = dateParts(addMonths(birthDate, 72));
  return makeDate(turns.year, turns.month, daysInMonth(turns.year, turns.month));
}

interface Subject {
  birthDate: IsoDate;
  /** Oct 1 of the first school year as a pupil (HS cards start no earlier). */
  pupilSince?: IsoDate;
  /** Month (1-12) and day (1-28) the person's 12-month cards start. */
  anchorMonth: number;
  anchorDay: number;
}

/** The card of `group` that covers `date` for `who`; undefined if none can (e.g. a TE card after age 6). */
function periodOn(group: string, date: IsoDate, who: Subject): DemoCard | undefined {
  const { year } = dateParts(date);
  let from: IsoDate;
  let to: IsoDate;
  if (group === 'TE') {
    from = who.birthDate;
    to = childCardEnd(who.birthDate);
    if (date > to) return undefined;
  } else if (group === 'HS') {
    const start = date >= makeDate(year, 10, 1) ? year : year - 1;
    from = makeDate(start, 10, 1);
    to = makeDate(start + 1, 9, 30);
    if (who.pupilSince !== undefined && from < who.pupilSince) from = who.pupilSince;
  } else if (CALENDAR_YEAR_GROUPS.has(group)) {
    from = makeDate(year, 1, 1);
    to = makeDate(year, 12, 31);
  } else {
    let anchor = makeDate(year, who.anchorMonth, who.anchorDay);
    if (anchor > date) anchor = makeDate(year - 1, who.anchorMonth, who.anchorDay);
    from = anchor;
    to = endOfPeriod(anchor, 12);
  }
  if (from < who.birthDate) from = who.birthDate;
  if (from > to) return undefined;
  return { group, from, to };
}

/** Groups whose cards have fixed dates (school year, calendar year, birth to 72 months). */
function hasFixedPeriod(group: string): boolean {
  return group === 'HS' || group === 'TE' || CALENDAR_YEAR_GROUPS.has(group);
}

/** Groups the state pays for, or a school for its pupils: covered year after year without a break. */
const CONTINUOUS_GROUPS = new Set(['TE', 'BT', 'HN', 'DT', 'HS']);

/** How far back a card history reaches: its first card covers this many years before today. */
const HISTORY_YEARS = 2;

/**
 * Card history of one person, oldest first, reaching back HISTORY_YEARS (or to birth). The state of today
 * is drawn first, then the consecutive cards before it (renewals: each card starts the day after the one
 * before; a child's TE card comes before the pupil's or the household's):
 * - never insured: 2.5%;
 * - lapsed (the last card ended 30-420 days ago): 7% of voluntary participants (primary group CN, SV,
 *   GB or GD), 0.8% of the others (children under six are never taken as lapsed);
 * - expiring within 60 days without a renewal yet: 5.8% (not children under six);
 * - else covered beyond 60 days, sometimes with the renewal already bought.
 * Before the first card of today's state: state-paid groups and pupils (CONTINUOUS_GROUPS) go back without a
 * break; of the voluntary participants 8% joined with that card (nothing before it: new participants of the
 * year) and 4% had a gap of 1-6 months before it (a lapse and a return). So about 93% of persons are
 * covered today and the year-over-year change is a few percent (births and joiners against lapses).
 * `history` false: only the cards of today's state (the same random draws, so the rest is unchanged).
 * Children whose card would have "expired" are taken as never registered; pupils who lapse or are about
 * to, outside the school-year rhythm, hold a household-mode card instead.
 */
function cardHistory(rng: Rng, today: IsoDate, who: Subject, ordered: readonly string[], history: boolean): DemoCard[] {
  const cards: DemoCard[] = [];
  const primary = ordered[0];
  const fallback = ordered.find((g) => g !== 'TE' && g !== 'HS') ?? 'GD';
  const twelveMonthsTo = (group: string, to: IsoDate): DemoCard => {
    const from = addDays(addMonths(to, -12), 1);
    return { group, from: from < who.birthDate ? who.birthDate : from, to };
  };
  const generic = primary === 'HS' ? fallback : primary;
  const continuous = CONTINUOUS_GROUPS.has(primary);
  const status = rng.next();
  const lapse = continuous ? 0.008 : 0.1;

  if (status < 0.025) return cards;

  if (status < 0.025 + lapse) {
    // Lapsed: the last card ended 30-420 days ago.
    if (primary === 'TE') return cards;
    const target = addDays(today, -rng.int(30, 420));
    if (target < who.birthDate) return cards;
    const natural = hasFixedPeriod(primary) ? periodOn(primary, target, who) : undefined;
    cards.push(natural !== undefined && natural.to < addDays(today, -29) ? natural : twelveMonthsTo(generic, target));
  } else if (status < 0.083 + lapse && primary !== 'TE') {
    // Expiring within 60 days.
    const horizon = addDays(today, 60);
    const natural = hasFixedPeriod(primary) ? periodOn(primary, today, who) : undefined;
    cards.push(natural !== undefined && natural.to < horizon ? natural : twelveMonthsTo(generic, addDays(today, rng.int(0, 59))));
  } else {
    // Covered beyond 60 days: the card in force today and the renewals already issued.
    const horizon = addDays(today, 60);
    let group = primary;
    let card = periodOn(group, today, who);
    if (card === undefined) {
      group = ordered.find((g) => g !== 'TE') ?? 'GD';
      card = periodOn(group, today, who) ?? twelveMonthsTo(fallback, addDays(today, rng.int(60, 300)));
    }
    cards.push(card);
    for (let i = 0; i < 3 && card.to < horizon; i++) {
      if (group === 'TE') group = ordered.find((g) => g !== 'TE') ?? 'GD';
      const next = periodOn(group, addDays(card.to, 1), who);
      if (next === undefined) break;
      card = next;
      cards.push(card);
    }
  }

  // The cards before, back to HISTORY_YEARS ago or birth.
  if (!continuous) {
    const x = rng.next();
    if (x < 0.05) return cards;
    if (x < 0.09) {
      const gap = rng.int(30, 180);
      if (!history) return cards;
      const first = cards[0];
      const before = twelveMonthsTo(generic, addDays(first.from, -1 - gap));
      if (before.to < who.birthDate || before.from >= first.from) return cards;
      cards.unshift(before);
    }
  }
  if (!history) return cards;
  const start = addYears(today, -HISTORY_YEARS);
  const childEnd = childCardEnd(who.birthDate);
  for (let first = cards[0]; first.from > start && first.from > who.birthDate; first = cards[0]) {
    const day = addDays(first.from, -1);
    const group = day <= childEnd ? 'TE' : who.pupilSince !== undefined && day >= who.pupilSince && ordered.includes('HS') ? 'HS' : generic;
    let before = periodOn(group, day, who);
    if (before === undefined || before.from >= first.from) before = twelveMonthsTo(group === 'TE' ? generic : group, day);
    if (before.from >= first.from) break;
    cards.unshift(before);
  }
  return cards;
}

function schoolYearOf(today: IsoDate): number {
  const { year } = dateParts(today);
  return today >= makeDate(year, 8, 1) ? year : year - 1;
}

interface HouseholdContext {
  history: boolean;
  today: IsoDate;
  schoolYear: number;
  rng: Rng;
  ids: IdentifierSource;
}

function randomPhone(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

function makePerson(ctx: HouseholdContext, s: Sketch, household: { poverty: PovertyStatus; difficult: boolean }): DemoPerson {
  const { rng, today } = ctx;
  // Born between (today - age - 1 year, today - age]: exactly `age` completed years today.
  const birthDate = addDays(addYears(today, -s.age), -rng.int(0, 364));
  const birthYear = dateParts(birthDate).year;
  const e = s.ethnicity;

  // Groups.
  const groups = new Set<string>();
  if (childCardEnd(birthDate) >= today) groups.add('TE');
  let grade: number | undefined;
  const schoolGrade = ctx.schoolYear - birthYear - 5;
  if (schoolGrade >= 1 && schoolGrade <= 12 && rng.chance(schoolGrade <= 9 ? 0.97 : e.kinh ? 0.85 : 0.6)) {
    grade = schoolGrade;
    groups.add('HS');
  }
  if (grade === undefined && s.age >= 18 && s.age <= 22 && rng.chance(e.kinh ? 0.25 : 0.1)) groups.add('SV');
  if (s.age >= 80 && rng.chance(0.7)) groups.add('BT');
  if (household.poverty === 'poor') groups.add('HN');
  else if (household.poverty === 'near_poor') groups.add('CN');
  else if (household.poverty === 'average_agri') groups.add('GB');
  if (!e.kinh && household.difficult) groups.add('DT');
  if (groups.size === 0) groups.add('GD');
  const ordered = CARD_PRIORITY.filter((g) => groups.has(g));

  const who: Subject = {
    birthDate,
    pupilSince: grade === undefined ? undefined : makeDate(ctx.schoolYear - grade + 1, 10, 1),
    anchorMonth: rng.int(1, 12),
    anchorDay: rng.int(1, 28),
  };

  const cards = cardHistory(rng, today, who, ordered, ctx.history);

  const insured = cards.length > 0;
  const person: DemoPerson = {
    fullName: personName(rng, e, s.family, s.sex),
    relationship: s.relationship,
    birthDate,
    sex: s.sex,
    citizenId: ctx.ids.citizenId(BIRTH_PROVINCES[rng.weighted(BIRTH_PROVINCE_WEIGHTS)], birthYear, s.sex),
    ethnicity: e.name,
    groups: ordered,
    cards,
  };
  if (rng.chance(insured ? 0.92 : 0.1)) person.insuranceCode = ctx.ids.insuranceCode(rng.pick(INSURANCE_PROVINCES));
  const phoneChance = s.age < 16 ? 0 : s.relationship === 'head' ? 0.85 : s.age >= 70 ? 0.2 : 0.6;
  if (rng.chance(phoneChance)) person.phone = randomPhone(rng);
  if (grade !== undefined) person.grade = grade;
  return person;
}

function povertyOf(rng: Rng, ward: boolean, e: Ethnicity, difficult: boolean): PovertyStatus {
  const x = rng.next();
  const [poor, near, average] = ward ? [0.015, 0.03, 0] : !e.kinh ? (difficult ? [0.17, 0.12, 0.05] : [0.08, 0.08, 0.06]) : [0.03, 0.05, 0.06];
  if (x < poor) return 'poor';
  if (x < poor + near) return 'near_poor';
  if (x < poor + near + average) return 'average_agri';
  return 'none';
}

/** Persons per commune: random weights, exact total by largest remainder. */
function quotas(rng: Rng, communes: number, persons: number): number[] {
  const weights = Array.from({ length: communes }, () => 0.5 + rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * persons);
  const result = exact.map(Math.floor);
  let left = persons - result.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % communes, left--) result[order[k].i]++;
  return result;
}

/**
 * Generates households until exactly `options.persons` persons exist, commune by commune in the order
 * given. Throws RangeError for bad options (on the call, not on the first `next()`).
 */
export function generateDemoPopulation(options: DemoPopulationOptions): Generator<DemoHousehold> {
  const { communes, persons, seed, today } = options;
  if (!Number.isInteger(persons) || persons < 0) throw new RangeError(`persons must be an integer >= 0: ${persons}`);
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD: ${today}`);
  if (persons > 0 && communes.length === 0) throw new RangeError('no communes to place persons in');
  for (const c of communes) {
    if (!/^\d{5}$/.test(c.code)) throw new RangeError(`commune code must be 5 digits: ${c.code}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number: ${seed}`);
  return generate(options);
}

function* generate(options: DemoPopulationOptions): Generator<DemoHousehold> {
  const { communes, persons, today } = options;
  const seed = Math.trunc(options.seed) >>> 0;
  const provinceName = options.provinceName ?? 'tỉnh Lào Cai';
  const rng = new Rng(seed);
  const ctx: HouseholdContext = { history: options.history !== false, today, schoolYear: schoolYearOf(today), rng, ids: new IdentifierSource(seed) };
  const povertyYear = dateParts(today).year;
  const perCommune = persons === 0 ? [] : quotas(rng, communes.length, persons);

  for (let c = 0; c < perCommune.length; c++) {
    let remaining = perCommune[c];
    if (remaining === 0) continue;
    const commune = setUpCommune(rng, communes[c]);
    let serial = 0;
    while (remaining > 0) {
      const village = commune.villages[rng.weighted(commune.villageWeights)];
      const e = rng.chance(0.6) ? commune.dominant : ETHNICITIES[rng.weighted(ETHNICITY_WEIGHTS)];
      const drawn = rng.weighted(e.kinh ? SIZE_WEIGHTS_KINH : SIZE_WEIGHTS_MINORITY) + 1;
      const size = Math.min(drawn, remaining);
      const poverty = povertyOf(rng, commune.ward, e, village.difficult);
      const members = sketchHousehold(rng, e, size).map((s) => makePerson(ctx, s, { poverty, difficult: village.difficult }));
      remaining -= members.length;
      serial++;
      const household: DemoHousehold = {
        householdCode: `${commune.code}${String(serial).padStart(6, '0')}`,
        communeCode: commune.code,
        village: village.name,
        villageCode: village.code,
        address: `${village.name}, ${commune.name}, ${provinceName}`,
        difficultArea: village.difficult,
        povertyStatus: poverty,
        members,
      };
      if (poverty !== 'none') household.povertyYear = povertyYear;
      yield household;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// As import rows
// ---------------------------------------------------------------------------------------------------

const POVERTY_TEXT: Record<PovertyStatus, string> = {
  poor: 'Hộ nghèo',
  near_poor: 'Hộ cận nghèo',
  average_agri: 'Mức sống trung bình',
  none: '',
};

/**
 * A household as rows of the register import template (canonical columns, cells as a person would type
 * them: dates dd/MM/yyyy, 'Nam'/'Nữ', 'Chủ hộ', groups 'HN;DT'); the card columns hold the latest card.
 */
export function demoRegisterRows(household: DemoHousehold): Record<CanonicalColumn, string>[] {
  return household.members.map((p) => {
    const card = p.cards.length > 0 ? p.cards[p.cards.length - 1] : undefined;
    return {
      household_code: household.householdCode,
      commune_code: household.communeCode,
      village: household.village,
      address: household.address,
      poverty_status:
        household.povertyStatus === 'none' ? '' : `${POVERTY_TEXT[household.povertyStatus]} ${household.povertyYear ?? ''}`.trim(),
      full_name: p.fullName,
      relationship: p.relationship === 'head' ? 'Chủ hộ' : p.relationship,
      birth_date: formatDateVi(p.birthDate),
      sex: p.sex === 'male' ? 'Nam' : 'Nữ',
      citizen_id: p.citizenId,
      insurance_code: p.insuranceCode ?? '',
      ethnicity: p.ethnicity,
      phone: p.phone ?? '',
      groups: p.groups.join(';'),
      card_group: card?.group ?? '',
      card_from: card ? formatDateVi(card.from) : '',
      card_to: card ? formatDateVi(card.to) : '',
      school: p.grade ? `${p.grade <= 5 ? 'Trường Tiểu học' : p.grade <= 9 ? 'Trường THCS' : 'Trường THPT'} ${household.village}` : '',
      grade: p.grade ? String(p.grade) : '',
      card_number: '',
      card_source: '',
      facility_code: '',
      collector_code: '',
    };
  });
}
