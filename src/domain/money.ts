/** Money is an integer number of dong. The brand keeps floats and strings out. */
export type Vnd = number & { readonly __brand: 'Vnd' };

export function vnd(amount: number): Vnd {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an integer amount of dong: ${amount}`);
  return amount as Vnd;
}

const groupDigits = (n: number) => String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** 1263600 -> "1.263.600 ₫" (the Vietnamese way, whatever the interface language). */
export function formatVnd(amount: number): string {
  return `${amount < 0 ? '-' : ''}${groupDigits(amount)} ₫`;
}
