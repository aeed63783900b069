/** Renewal reminders through the typed client: the list, the CSV for the sender, marking sent, the renewal rate. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type ReminderList = ApiResponse<'/api/reminders', 'get'>;
export type ReminderVillage = Item<ReminderList['villages']>;
export type ReminderItem = Item<ReminderVillage['items']>;
export type RenewalRate = ApiResponse<'/api/reminders/rate', 'get'>;
export type Window = { unit: string; date?: string; days: number; months: number };

export const remindersApi = {
  /** The totals by village and collector; `items` true: with the persons too (a village's, when opened). */
  list: (w: Window, items: boolean, signal?: AbortSignal) => call(client.GET('/api/reminders', { params: { query: { ...w, items } }, signal })),
  markSent: (body: ApiBody<'/api/reminders/sent', 'post'>) => call(client.POST('/api/reminders/sent', { body })),
  rate: (q: { unit: string; from: string; to: string; within: number }, signal?: AbortSignal) => call(client.GET('/api/reminders/rate', { params: { query: q }, signal })),
  /** The CSV with its lines recorded as sent: a POST, read as a file. */
  exportAndMark: async (w: Window): Promise<{ blob: Blob; fileName: string; recorded: number }> => {
    const { data, error, response } = await client.POST('/api/reminders/export', { body: { ...w, markSent: true, channel: 'sms' }, parseAs: 'blob' });
    if (!response.ok) await call(Promise.resolve({ data: undefined, error, response }));
    const name = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    return { blob: data as unknown as Blob, fileName: name ? decodeURIComponent(name) : 'reminders.csv', recorded: Number(response.headers.get('x-recorded') ?? 0) };
  },
};

/** The CSV without recording anything (a plain link: the browser downloads it). */
export const exportCsvUrl = (w: Window) =>
  `/api/reminders/export.csv?${new URLSearchParams({ unit: w.unit, days: String(w.days), months: String(w.months), ...(w.date ? { date: w.date } : {}) }).toString()}`;
