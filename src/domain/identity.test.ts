import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  centurySexDigit,
  citizenIdFacts,
  maskName,
  nameInitials,
  nameKey,
  normalizeName,
  normalizePhone,
  validateCitizenId,
  validateInsuranceCode,
  type Sex,
} from './identity';

describe('citizen id', () => {
  it('reads province, sex and birth year', () => {
    expect(citizenIdFacts('010085012345')).toEqual({ provinceCode: '010', sex: 'male', birthYear: 1985 });
    expect(citizenIdFacts('001190000001')).toEqual({ provinceCode: '001', sex: 'female', birthYear: 1990 });
    expect(citizenIdFacts('015205123456')).toEqual({ provinceCode: '015', sex: 'male', birthYear: 2005 });
    expect(citizenIdFacts('015312123456')).toEqual({ provinceCode: '015', sex: 'female', birthYear: 2012 });
    expect(citizenIdFacts('079400000000')).toEqual({ provinceCode: '079', sex: 'male', birthYear: 2100 });
    expect(citizenIdFacts('079999000000')).toEqual({ provinceCode: '079', sex: 'female', birthYear: 2399 });
  });

  it('refuses anything but 12 ASCII digits', () => {
    for (const bad of ['', '01008501234', '0100850123456', '010 085 012345', '01008501234a', '０１００８５０１２３４５']) {
      expect(validateCitizenId(bad)).toEqual({ ok: false, reason: 'format' });
      expect(citizenIdFacts(bad)).toBeUndefined();
    }
    // Province digits are not checked against any list (old 63-province codes).
    expect(validateCitizenId('999085012345')).toEqual({ ok: true });
  });

  it('checks the id against birth date and sex', () => {
    expect(validateCitizenId('010085012345', '1985-06-01', 'male')).toEqual({ ok: true });
    expect(validateCitizenId('010185012345', '1985-06-01', 'female')).toEqual({ ok: true });
    expect(validateCitizenId('010085012345', '2085-06-01', 'male')).toEqual({ ok: false, reason: 'century_sex' });
    expect(validateCitizenId('010285012345', '1985-06-01', 'male')).toEqual({ ok: false, reason: 'century_sex' });
    expect(validateCitizenId('010085012345', '1986-06-01', 'male')).toEqual({ ok: false, reason: 'birth_year' });
    expect(validateCitizenId('010085012345', '1985-06-01', 'female')).toEqual({ ok: false, reason: 'sex_mismatch' });
    expect(validateCitizenId('010185012345', undefined, 'male')).toEqual({ ok: false, reason: 'sex_mismatch' });
    expect(validateCitizenId('010085012345', '1986-06-01')).toEqual({ ok: false, reason: 'birth_year' });
  });

  it('builds the century/sex digit', () => {
    expect(centurySexDigit(1999, 'male')).toBe(0);
    expect(centurySexDigit(1900, 'female')).toBe(1);
    expect(centurySexDigit(2000, 'male')).toBe(2);
    expect(centurySexDigit(2099, 'female')).toBe(3);
    expect(centurySexDigit(2150, 'female')).toBe(5);
    expect(centurySexDigit(2399, 'male')).toBe(8);
    expect(centurySexDigit(1899, 'male')).toBeUndefined();
    expect(centurySexDigit(2400, 'male')).toBeUndefined();
  });

  it('property: an id built from a birth year and sex validates against them and nothing else', () => {
    const sex = fc.constantFrom<Sex>('male', 'female');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 96 }),
        fc.integer({ min: 1900, max: 2399 }),
        sex,
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 1, max: 12 }),
        (province, year, s, serial, month) => {
          const digit = centurySexDigit(year, s)!;
          const id = `${String(province).padStart(3, '0')}${digit}${String(year % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
          const birth = `${year}-${String(month).padStart(2, '0')}-15`;
          expect(validateCitizenId(id, birth, s)).toEqual({ ok: true });
          expect(citizenIdFacts(id)).toEqual({ provinceCode: id.slice(0, 3), sex: s, birthYear: year });
          expect(validateCitizenId(id, birth, s === 'male' ? 'female' : 'male')).toEqual({ ok: false, reason: 'sex_mismatch' });
          const otherYear = year === 2399 ? 2398 : year + 1;
          const check = validateCitizenId(id, `${otherYear}-01-01`, s);
          expect(check.ok).toBe(false);
        },
      ),
    );
  });
});

describe('insurance code', () => {
  it('is exactly 10 digits', () => {
    expect(validateInsuranceCode('0123456789')).toBe(true);
    expect(validateInsuranceCode('1012345678')).toBe(true);
    expect(validateInsuranceCode('123456789')).toBe(false);
    expect(validateInsuranceCode('01234567890')).toBe(false);
    expect(validateInsuranceCode('01234 56789')).toBe(false);
    expect(validateInsuranceCode('GD4011234567890')).toBe(false);
  });
});

describe('names', () => {
  it('normalises to Vietnamese title case', () => {
    expect(normalizeName('nguyễn văn  AN')).toBe('Nguyễn Văn An');
    expect(normalizeName('  TRẦN   thị   hoa ')).toBe('Trần Thị Hoa');
    expect(normalizeName('đặng ĐÌNH ĐẠT')).toBe('Đặng Đình Đạt');
    expect(normalizeName('giàng a sử')).toBe('Giàng A Sử');
    expect(normalizeName('h’hen niê')).toBe("H'Hen Niê");
    expect(normalizeName('ÐỖ thị ðào')).toBe('Đỗ Thị Đào');
    expect(normalizeName('\t\n')).toBe('');
  });

  it('composes decomposed input (NFC)', () => {
    const decomposed = 'Nguyễn Thị Ánh'.normalize('NFD');
    expect(normalizeName(decomposed)).toBe('Nguyễn Thị Ánh'.normalize('NFC'));
    expect(normalizeName(decomposed).length).toBe('Nguyễn Thị Ánh'.normalize('NFC').length);
  });

  it('matching key ignores diacritics, case, spacing and đ', () => {
    expect(nameKey('Nguyễn Văn  Án')).toBe('nguyen van an');
    expect(nameKey('ĐẶNG THỊ HÒA')).toBe(nameKey('dang thi hoà'));
    expect(nameKey('Ðỗ Văn Đức')).toBe('do van duc');
  });

  it('masks names for public pages', () => {
    expect(maskName('Nguyễn Thị Hoa')).toBe('Nguyễn T. H.');
    expect(nameInitials('Nguyễn Thị Hoa')).toBe('N.T.H.');
    expect(nameInitials('  đặng   văn ánh ')).toBe('Đ.V.Á.');
    expect(nameInitials('')).toBe('');
    expect(maskName('giàng a sử')).toBe('Giàng A. S.');
    expect(maskName('Chảo Mẩy')).toBe('Chảo M.');
    expect(maskName('Hoa')).toBe('H.');
    expect(maskName('  ')).toBe('');
    expect(maskName('Đặng Ánh')).toBe('Đặng Á.');
  });

  const viWord = fc
    .array(fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐĂÂÊÔƠƯÁÀ'.split('')), {
      minLength: 1,
      maxLength: 8,
    })
    .map((a) => a.join(''));
  const viName = fc.tuple(fc.array(viWord, { minLength: 1, maxLength: 5 }), fc.constantFrom(' ', '  ', ' \t ')).map(([words, sep]) => words.join(sep));

  it('property: normalisation is idempotent, keeps the fold, and title-cases every word', () => {
    fc.assert(
      fc.property(viName, fc.boolean(), (name, decompose) => {
        const input = decompose ? name.normalize('NFD') : name;
        const n = normalizeName(input);
        expect(normalizeName(n)).toBe(n);
        expect(n).toBe(n.normalize('NFC'));
        expect(nameKey(input)).toBe(nameKey(n));
        expect(nameKey(n)).toBe(nameKey(n.toUpperCase()));
        for (const word of n.split(' ')) {
          const [first, ...rest] = Array.from(word);
          expect(first).toBe(first.toLocaleUpperCase('vi'));
          expect(rest.join('')).toBe(rest.join('').toLocaleLowerCase('vi'));
        }
      }),
    );
  });

  it('property: a masked name keeps the family name and one initial per other word', () => {
    fc.assert(
      fc.property(viName, (name) => {
        const words = normalizeName(name).split(' ');
        const masked = maskName(name).split(' ');
        expect(masked.length).toBe(words.length);
        if (words.length > 1) expect(masked[0]).toBe(words[0]);
        for (const part of words.length > 1 ? masked.slice(1) : masked) expect(Array.from(part).length).toBe(2);
      }),
    );
  });
});

describe('phone numbers', () => {
  it('normalises the ways people write them', () => {
    expect(normalizePhone('+84 912 345 678')).toBe('0912345678');
    expect(normalizePhone('0912.345.678')).toBe('0912345678');
    expect(normalizePhone('84912345678')).toBe('0912345678');
    expect(normalizePhone('(+84) 0912 345 678')).toBe('0912345678');
    expect(normalizePhone('0084 912-345-678')).toBe('0912345678');
    expect(normalizePhone(' 0386 123 456 ')).toBe('0386123456');
    expect(normalizePhone('912345678')).toBe('0912345678'); // Excel dropped the 0
    expect(normalizePhone('+84 24 3825 1234')).toBe('02438251234');
    expect(normalizePhone('0214 3840 123')).toBe('02143840123');
  });

  it('refuses what is not a Vietnamese phone number', () => {
    for (const bad of ['', 'abc', '091234567', '09123456789', '0112345678', '+1 212 555 0100', '0912345678 ext 2', '000912345678', '0212345678']) {
      expect(normalizePhone(bad)).toBeUndefined();
    }
  });

  it('property: any valid national number survives the usual decorations', () => {
    const mobile = fc
      .tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{8}$/))
      .map(([p, rest]) => `0${p}${rest}`);
    const landline = fc.stringMatching(/^\d{9}$/).map((rest) => `02${rest}`);
    fc.assert(
      fc.property(fc.oneof(mobile, landline), fc.constantFrom('plain', 'dots', 'spaces', '+84', '84'), (national, style) => {
        const body = national.slice(1);
        const written =
          style === 'plain'
            ? national
            : style === 'dots'
              ? `${national.slice(0, 4)}.${national.slice(4, 7)}.${national.slice(7)}`
              : style === 'spaces'
                ? `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`
                : style === '+84'
                  ? `+84 ${body}`
                  : `84${body}`;
        expect(normalizePhone(written)).toBe(national);
        expect(normalizePhone(normalizePhone(written)!)).toBe(national);
      }),
    );
  });
});
