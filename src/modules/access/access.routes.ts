import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as access from './access.service';
import { createUserInput, loginInput, publicUser, updateUserInput } from './access.schemas';
import { SESSION_COOKIE } from '../../http/plugins/auth';
import { AppError } from '../../errors';
import type { LoginThrottle } from './login-throttle';

const me = z.object({ user: publicUser.omit({ active: true }), csrfToken: z.string() });

export const accessRoutes = (throttle: LoginThrottle): FastifyPluginAsyncZod =>
  async (app) => {
    const db = () => app.database.db;

    app.post(
      '/api/auth/login',
      { config: { permission: 'public' }, schema: { tags: ['auth'], summary: 'Log in with a password; sets the session cookie', body: loginInput, response: { 200: me } } },
      async (req, reply) => {
        const r = await access.login(db(), throttle, req.body, { ip: req.ip, now: new Date() });
        reply.setCookie(SESSION_COOKIE, r.sessionId, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          // HTTPS, directly or (with COVERDESK_TRUST_PROXY) as X-Forwarded-Proto from the proxy
          secure: req.protocol === 'https',
          expires: r.expiresAt,
        });
        return { user: r.user, csrfToken: r.csrfToken };
      },
    );

    app.get(
      '/api/auth/me',
      { config: { permission: 'signed_in' }, schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token for changes', response: { 200: me } } },
      async (req) => {
        const a = req.actor!;
        const user = await access.currentUser(db(), a);
        return { user, csrfToken: req.session?.csrfToken ?? '' };
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { permission: 'signed_in' }, schema: { tags: ['auth'], summary: 'End the session' } },
      async (req, reply) => {
        if (req.session) {
          await access.logout(db(), req.actor!, req.session.id, { ip: req.ip });
          app.forgetSession(req.session.id);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/users',
      { config: { permission: 'users:manage' }, schema: { tags: ['users'], summary: 'All users (admins)', response: { 200: z.array(publicUser) } } },
      async (req) => access.listUsers(db(), req.actor!),
    );

    app.post(
      '/api/users',
      { config: { permission: 'users:manage' }, schema: { tags: ['users'], summary: 'Create a user', body: createUserInput, response: { 201: publicUser } } },
      async (req, reply) => reply.status(201).send(await access.createUser(db(), req.actor!, req.body)),
    );

    app.patch(
      '/api/users/:id',
      {
        config: { permission: 'users:manage' },
        schema: { tags: ['users'], summary: 'Change a user (role, scope, active, password)', params: z.object({ id: z.uuid() }), body: updateUserInput, response: { 200: publicUser } },
      },
      async (req) => {
        if (req.params.id === req.actor!.userId && (req.body.active === false || (req.body.role && req.body.role !== 'admin')))
          throw new AppError('forbidden', { reason: 'self' });
        return access.updateUser(db(), req.actor!, req.params.id, req.body);
      },
    );
  };
