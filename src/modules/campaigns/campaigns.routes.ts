/**
 * HTTP routes of campaigns (issue 20 item 3): the campaigns, their targets and split, their progress and
 * the closing report (.xlsx, PDF). Reading: units:read (the campaign's unit, inside it or under it);
 * changing: units:write in the campaign's unit.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { attachment } from '../../http/attachment';
import * as campaigns from './campaigns.service';
import { campaignPdf, campaignWorkbook } from './campaigns.report';
import { campaignSchema, createCampaignInput, progressQuery, progressSchema, updateCampaignInput } from './campaigns.schemas';
import * as incentives from './incentives.service';
import { incentiveListQuery, incentiveSchema, issueIncentiveInput, ledgerQuery, ledgerSchema, redeemInput } from './incentives.schemas';

const read = { permission: campaigns.CAMPAIGNS_READ } as const;
const manage = { permission: campaigns.CAMPAIGNS_MANAGE } as const;
const idParams = z.object({ id: z.string().min(1).max(40) });
const tags = ['campaigns'];

export const campaignRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get('/api/campaigns', { config: read, schema: { tags, summary: 'Campaigns of your unit, inside it and above it, latest first', response: { 200: z.array(campaignSchema) } } }, async (req) =>
    campaigns.listCampaigns(db(), req.actor!, req.lang),
  );
  app.post(
    '/api/campaigns',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a campaign of a province or commune: name, theme, period, targets per kind and their split per commune, working group and staff member (a split that does not add up is warned)',
        body: createCampaignInput,
        response: { 201: campaignSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await campaigns.createCampaign(db(), req.actor!, req.body, req.lang)),
  );
  app.get('/api/campaigns/:id', { config: read, schema: { tags, summary: 'A campaign with its targets and split', params: idParams, response: { 200: campaignSchema } } }, async (req) =>
    campaigns.getCampaign(db(), req.actor!, req.params.id, req.lang),
  );
  app.patch(
    '/api/campaigns/:id',
    { config: manage, schema: { tags, summary: 'Change a campaign (targets and split are replaced when given)', params: idParams, body: updateCampaignInput, response: { 200: campaignSchema } } },
    async (req) => campaigns.updateCampaign(db(), req.actor!, req.params.id, req.body, req.lang),
  );
  app.delete('/api/campaigns/:id', { config: manage, schema: { tags, summary: 'Delete a campaign (its targets; the register does not change)', params: idParams } }, async (req, reply) => {
    await campaigns.deleteCampaign(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/api/campaigns/:id/progress',
    {
      config: read,
      schema: {
        tags,
        summary: 'Progress up to ?date (default today, at most the end): per kind target, achieved and %, communes ranked, working groups, staff, field enrolments, running totals by day',
        params: idParams,
        querystring: progressQuery,
        response: { 200: progressSchema },
      },
    },
    async (req) => campaigns.campaignProgress(req.reads, req.actor!, req.params.id, req.query, todayInVietnam(), req.lang),
  );
  app.get(
    '/api/incentives',
    { config: read, schema: { tags, summary: 'Gifts and vouchers given, of a person or a campaign (in your scope), newest first', querystring: incentiveListQuery, response: { 200: z.array(incentiveSchema) } } },
    async (req) => incentives.listIncentives(db(), req.actor!, req.query),
  );
  app.post(
    '/api/incentives',
    {
      config: manage,
      schema: { tags, summary: 'Give a participant a gift or a voucher (a voucher gets a random code, redeemed once at the next renewal)', body: issueIncentiveInput, response: { 201: incentiveSchema } },
    },
    async (req, reply) => reply.status(201).send(await incentives.issueIncentive(db(), req.actor!, req.body, todayInVietnam())),
  );
  app.post(
    '/api/incentives/redeem',
    {
      config: manage,
      schema: { tags, summary: 'Redeem a voucher by its code at the renewal (409 naming when and by whom when it was redeemed before)', body: redeemInput, response: { 200: incentiveSchema } },
    },
    async (req) => incentives.redeemVoucher(db(), req.actor!, req.body, todayInVietnam()),
  );
  app.get(
    '/api/incentives/ledger',
    { config: read, schema: { tags, summary: 'A campaign’s incentive ledger: issued, redeemed, expired, outstanding, counts and dong', querystring: ledgerQuery, response: { 200: ledgerSchema } } },
    async (req) => incentives.incentiveLedger(db(), req.actor!, req.query, todayInVietnam()),
  );
  app.get('/api/campaigns/:id/report.xlsx', { config: read, schema: { tags, summary: 'The closing report as a sheet', params: idParams } }, async (req, reply) => {
    const { buffer, fileName } = await campaignWorkbook(db(), req.actor!, req.params.id, todayInVietnam(), req.lang);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(fileName)).send(buffer);
  });
  app.get('/api/campaigns/:id/report.pdf', { config: read, schema: { tags, summary: 'The closing report as PDF, with the national-motto header', params: idParams } }, async (req, reply) => {
    const { pdf, fileName } = await campaignPdf(db(), req.actor!, req.params.id, todayInVietnam(), req.lang);
    return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(pdf);
  });
};
