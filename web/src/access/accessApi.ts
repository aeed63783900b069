/** Sign-in, the session and the users (admins), through the typed client. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type Session = ApiResponse<'/api/auth/me', 'get'>;
export type User = Session['user'];
export type Role = User['role'];
export const ROLES: readonly Role[] = ['admin', 'province_staff', 'commune_officer', 'field_worker', 'viewer'];
export type ManagedUser = Item<ApiResponse<'/api/users', 'get'>>;
export type UserInput = ApiBody<'/api/users', 'post'>;
export type UserPatch = ApiBody<'/api/users/{id}', 'patch'>;

export const accessApi = {
  login: (username: string, password: string) => call(client.POST('/api/auth/login', { body: { username, password } }), { quiet401: true }),
  me: () => call(client.GET('/api/auth/me'), { quiet401: true }),
  logout: () => call(client.POST('/api/auth/logout'), { quiet401: true }),

  users: (signal?: AbortSignal) => call(client.GET('/api/users', { signal })),
  createUser: (input: UserInput) => call(client.POST('/api/users', { body: input })),
  updateUser: (id: string, patch: UserPatch) => call(client.PATCH('/api/users/{id}', { params: { path: { id } }, body: patch })),
};
