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
