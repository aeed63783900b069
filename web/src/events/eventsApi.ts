/** Outreach events through the typed client: the list with totals, one event, its attendees and evidence files. */
import { call, client, multipart } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type EventList = ApiResponse<'/api/events', 'get'>;
export type OutreachEvent = Item<EventList['events']>;
export type EventDetail = ApiResponse<'/api/events/{id}', 'get'>;
export type EventInput = ApiBody<'/api/events', 'post'>;
export type EventKind = OutreachEvent['kind'];

export const EVENT_KINDS: readonly EventKind[] = ['dialogue_conference', 'customer_conference', 'mobile_propaganda', 'leaflet_distribution', 'thematic_session', 'launch_ceremony'];

const id = (eventId: string) => ({ path: { id: eventId } });

export const eventsApi = {
  list: (query: { unit?: string; campaign?: string }, signal?: AbortSignal) => call(client.GET('/api/events', { params: { query }, signal })),
  get: (eventId: string, signal?: AbortSignal) => call(client.GET('/api/events/{id}', { params: { ...id(eventId), query: {} }, signal })),
  create: (body: EventInput) => call(client.POST('/api/events', { body })),
  remove: (eventId: string) => call(client.DELETE('/api/events/{id}', { params: id(eventId) })),
  attendees: (eventId: string, body: { add?: string[]; remove?: string[] }) => call(client.POST('/api/events/{id}/attendees', { params: id(eventId), body })),
  attach: (eventId: string, file: File) => call(client.POST('/api/events/{id}/files', { params: id(eventId), body: multipart({ file }) })),
  removeFile: (eventId: string, fileId: string) => call(client.DELETE('/api/events/{id}/files/{fileId}', { params: { path: { id: eventId, fileId } } })),
};

/** An evidence file (a plain link: the browser opens or downloads it). */
export const fileUrl = (eventId: string, fileId: string) => `/api/events/${encodeURIComponent(eventId)}/files/${encodeURIComponent(fileId)}`;
