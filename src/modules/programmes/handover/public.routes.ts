import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../../domain/dates';
import { AppError } from '../../../errors';
import { translator } from '../../../i18n/index';
import * as publicPage from './public.service';
import { publicPledgeInput } from './public.service';
import type { PledgeThrottle } from './public.throttle';
import { publicPledgeAnswerSchema, publicProgrammeSchema } from './handover.schemas';

const tags = ['public'];
const slugParams = z.object({ slug: z.string().max(100) });

/** The public programme page (no login) and its pledge form. */
export const publicProgrammeRoutes =
  (throttle: PledgeThrottle): FastifyPluginAsyncZod =>
  async (app) => {
    const db = () => app.database.db;

    app.get(
      '/api/public/programmes/:slug',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            'The public page of a programme (public and past draft): money received, spent and left; cards by commune and group; named donors; masked beneficiaries; progress against the deadline. No personal data',
          params: slugParams,
          response: { 200: publicProgrammeSchema },
        },
      },
      async (req) => publicPage.publicProgramme(req.reads, req.params.slug, todayInVietnam()),
    );

    app.post(
      '/api/public/programmes/:slug/pledges',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            "Offer money to a programme (no login): name, contact (phone or e-mail), amount in dong (≥ 10.000), optional earmark commune, kind, consent to be named. Creates a donor and a 'proposed' pledge that staff confirm; throttled per address",
          params: slugParams,
          body: publicPledgeInput,
          response: { 201: publicPledgeAnswerSchema },
        },
      },
      async (req, reply) => {
        const now = new Date();
        const made = await publicPage
          .publicPledge(db(), throttle, req.params.slug, req.body, { ip: req.ip, now, today: todayInVietnam(now) })
          .catch((e: unknown) => {
            // the throttle's refusal, told as what it is (not the login message)
            throw e instanceof AppError && e.code === 'too_many_attempts' ? new AppError('too_many_pledges') : e;
          });
        const t = translator(req.lang ?? 'vi');
        return reply.status(201).send({ ...made, message: t('handover:public.thanks', { programme: made.programmeName }) });
      },
    );
  };
