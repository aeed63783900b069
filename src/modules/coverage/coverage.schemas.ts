/**
 * Answers of the coverage figure routes (coverage.routes.ts), as the service builds them
 * (coverage.service.ts, coverage.repository.ts): they type the web's calls through the OpenAPI document.
 */
import { z } from 'zod';
import { reportedValues } from './figures.schemas';

const count = z.number();
const nullableCount = z.number().nullable();
const source = z.enum(['register', 'reported']).nullable();

/** The reported figures as known on a date (figures.service.ts FigureSnapshot). */
const figureSnapshotFields = {
  unitCode: z.string(),
  asOf: z.string(),
  ...reportedValues,
  dates: z.object({
    participants: z.string().optional(),
    participantsByGroup: z.string().optional(),
    voluntarySi: z.string().optional(),
    population: z.string().optional(),
    plan: z.string().optional(),
  }),
};
const oldCommunesSchema = z.array(z.object({ oldCode: z.string(), oldName: z.string(), asOf: z.string(), participants: count, population: nullableCount }));

export const unitCoverageSchema = z.object({
  unit: z.string(),
  name: z.string(),
  level: z.enum(['province', 'commune', 'village', 'office']),
  kind: z.string(),
  date: z.string(),
  population: nullableCount,
  participants: nullableCount,
  plan: nullableCount,
  pctPlan: nullableCount,
  pctPopulation: nullableCount,
  yoyChange: nullableCount,
  byGroup: z.record(z.string(), z.number()),
  expiring30: nullableCount,
  neverInsured: nullableCount,
  /** Where each headline number comes from. */
  sources: z.object({ population: source, participants: source, plan: source }),
  register: z.object({ population: count, participants: count, participantsYearAgo: count, expiring30: count, neverInsured: count }).nullable(),
  reported: z
    .object({
      ...figureSnapshotFields,
      fromOldCommunes: oldCommunesSchema.optional(),
      participantsYearAgo: nullableCount,
      /** The day the year-ago count is from (null: none usable, e.g. the same figure as now). */
      yearAgoAsOf: z.string().nullable(),
      yearAgoFromOldCommunes: oldCommunesSchema.nullable().optional(),
      /** The figures too old for the date asked: a count a year old or more, a plan of an earlier year. */
      staleFields: z.array(z.enum(['participants', 'population', 'plan'])),
    })
    .nullable(),
  /** register minus reported, where both exist. */
  difference: z.object({ participants: nullableCount, population: nullableCount }).nullable(),
  /** A headline number comes from a reported figure too old for the date (see reported.staleFields). */
  stale: z.boolean(),
});

export const coverageReportSchema = unitCoverageSchema.extend({ children: z.array(unitCoverageSchema) });

export const visitSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  householdCode: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  communeCode: z.string(),
  address: z.string().nullable(),
  fullName: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  phone: z.string().nullable(),
  groupCodes: z.array(z.string()),
  cardTo: z.string().nullable(),
});

export const trendSchema = z.object({
  unit: z.string(),
  name: z.string(),
  points: z.array(z.object({ month: z.string(), date: z.string(), participants: count, participantsYearAgo: count })),
});

export const lowCoverageSchema = z.object({
  unit: z.string(),
  name: z.string(),
  population: nullableCount,
  participants: nullableCount,
  pctPopulation: nullableCount,
  pctPlan: nullableCount,
  target: count,
  missing: nullableCount,
});

const pupilFigures = { pupils: count, covered: count, pct: nullableCount, missing: count };

export const pupilsSchema = z.object({
  unit: z.string(),
  name: z.string(),
  date: z.string(),
  schoolYear: z.string(),
  total: z.object(pupilFigures),
  schools: z.array(z.object({ school: z.string().nullable(), ...pupilFigures })),
});

/** Voluntary social insurance (product 'bhxh-tn') on the dashboard: vsi-coverage.service.ts. */
const vsiUnitSchema = z.object({
  unit: z.string(),
  name: z.string(),
  level: z.string(),
  participants: z.number(),
  newParticipants: z.number(),
  plan: z.number().nullable(),
  pctPlan: z.number().nullable(),
});
export const vsiCoverageSchema = vsiUnitSchema.extend({
  product: z.literal('bhxh-tn'),
  date: z.string(),
  from: z.string(),
  to: z.string(),
  children: z.array(vsiUnitSchema),
});
