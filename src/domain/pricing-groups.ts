/**
 * The groups a candidate for a donated card is priced in: the register groups, plus HN / CN / GB from
 * the household's poverty status, TE under 6 on the purchase date, and GD last (household mode for
 * anyone; the rules engine prices in the group with the highest support, so GD only prices those with
 * no other group). Pure; used by the selection (candidates.service) and a hand-made award (donors.service).
 */
import { ageInYears } from './calendar';
import type { RuleSet } from './premium';
import { DEFAULT_RULES, isKnownGroup } from './premium-rules';

export function pricingGroups(
  p: { birthDate: string; groupCodes: readonly string[]; povertyStatus: string },
  purchaseDate: string,
  rules: RuleSet = DEFAULT_RULES,
): string[] {
  const groups = new Set(p.groupCodes.filter((g) => isKnownGroup(rules, g)));
  if (p.povertyStatus === 'poor') groups.add('HN');
  if (p.povertyStatus === 'near_poor') groups.add('CN');
  if (p.povertyStatus === 'average_agri') groups.add('GB');
  if (ageInYears(p.birthDate, purchaseDate) < 6) groups.add('TE');
  groups.delete('GD');
  return [...[...groups].filter((g) => isKnownGroup(rules, g)), 'GD'];
}
