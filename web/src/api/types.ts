/**
 * Types of the API's requests and answers, read from the generated OpenAPI types (schema.d.ts): the web
 * never writes a server type again by hand.
 *
 *   type Unit = ApiResponse<'/api/units/{code}', 'get'>['unit'];
 */
import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON a successful (200 or 201) call answers. */
export type ApiResponse<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R } ? Json<R extends { 200: infer OK } ? OK : R extends { 201: infer Created } ? Created : never> : never;

/** The JSON body a call takes. */
export type ApiBody<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters a call takes. */
export type ApiQuery<P extends keyof paths, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One element of an array type. */
export type Item<T> = T extends readonly (infer E)[] ? E : never;
