/**
 * Numbers as people read them: thousands grouped and at most two decimals, with the language's marks
 * (Vietnamese 10.000 and 200,71; English 10,000 and 200.71). Pure.
 */

/** 10000 -> '10.000' (vi) or '10,000' (en); 200.714 -> '200,71' (vi) or '200.71' (en). */
export function formatDecimalIn(value: number, language: string): string {
  const hundredths = Math.round(Math.abs(value) * 100);
  const whole = String(Math.floor(hundredths / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : '.');
  const fraction = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}${language === 'en' ? '.' : ','}${fraction}` : whole;
  return value < 0 && hundredths > 0 ? `-${text}` : text;
}

/** A file's size as people read it, in binary units with one decimal: 1536 -> '1,5 KB' (vi), '1.5 KB' (en). */
export function formatSize(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatDecimalIn(unit === 0 ? value : Math.round(value * 10) / 10, language)} ${units[unit]}`;
}
