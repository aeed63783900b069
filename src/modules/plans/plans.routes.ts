/**
 * HTTP routes of plans (issue 21 items 1-4): plans and their goals, cascade to communes, tasks (sub-tasks
 * per commune, progress notes, evidence files), the task table as .xlsx (import and export), the status
 * with live progress, the dashboard, and the status report (.xlsx, PDF). Reading: units:read in the plan's
 * unit's scope; changing: units:write there.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { validationError } from '../../errors';
import { attachment } from '../../http/attachment';
import { readEvidenceForm, sendEvidence } from '../../http/evidence-upload';
import * as plans from './plans.service';
import { planReportPdf, planReportWorkbook } from './plans.report';
import {
  cascadeInput,
  createPlanInput,
  createTaskInput,
  dashboardSchema,
  importReportSchema,
  noteInput,
  planSchema,
  splitTaskInput,
  statusQuery,
  statusSchema,
  taskDetailSchema,
  taskSchema,
  updatePlanInput,
  updateTaskInput,
} from './plans.schemas';
import { exportTasks, importTasks } from './plans.tasks-table';

const read = { permission: plans.PLANS_READ } as const;
const manage = { permission: plans.PLANS_MANAGE } as const;
const idParams = z.object({ id: z.string().min(1).max(40) });
const fileParams = z.object({ id: z.string().min(1).max(40), fileId: z.string().min(1).max(40) });
const tags = ['plans'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get('/api/plans', { config: read, schema: { tags, summary: 'Plans of your unit and, for a province, its communes; latest first', response: { 200: z.array(planSchema) } } }, async (req) =>
    plans.listPlans(db(), req.actor!),
  );
  app.post(
    '/api/plans',
    { config: manage, schema: { tags, summary: 'Create a plan of a province or commune with its goals (coverage_pct, participants, pupils_pct, vsi_participants)', body: createPlanInput, response: { 201: planSchema } } },
    async (req, reply) => reply.status(201).send(await plans.createPlan(db(), req.actor!, req.body)),
  );
  app.get(
    '/api/plans/dashboard',
    { config: read, schema: { tags, summary: 'Overdue and due-within-7-days tasks per responsible unit, goals at risk (?date, default today)', querystring: statusQuery, response: { 200: dashboardSchema } } },
    async (req) => plans.dashboard(req.reads, req.actor!, req.query, todayInVietnam()),
  );
  app.get('/api/plans/:id', { config: read, schema: { tags, summary: 'A plan with its goals', params: idParams, response: { 200: planSchema } } }, async (req) => plans.getPlan(db(), req.actor!, req.params.id));
  app.patch('/api/plans/:id', { config: manage, schema: { tags, summary: 'Change a plan (goals replaced when given)', params: idParams, body: updatePlanInput, response: { 200: planSchema } } }, async (req) =>
    plans.updatePlan(db(), req.actor!, req.params.id, req.body),
  );
  app.delete('/api/plans/:id', { config: manage, schema: { tags, summary: 'Delete a plan with its tasks and its commune plans', params: idParams } }, async (req, reply) => {
    await plans.deletePlan(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/api/plans/:id/cascade',
    {
      config: manage,
      schema: { tags, summary: 'Cascade a provincial plan to commune plans (percentages kept, counts split pro rata to population)', params: idParams, body: cascadeInput, response: { 201: z.array(planSchema) } },
    },
    async (req, reply) => reply.status(201).send(await plans.cascadePlan(db(), req.actor!, req.params.id, req.body, todayInVietnam())),
  );
  app.get(
    '/api/plans/:id/status',
    { config: read, schema: { tags, summary: 'Goals with current, projected, atRisk and trend; tasks with status and overdue; the communes’ scorecard', params: idParams, querystring: statusQuery, response: { 200: statusSchema } } },
    async (req) => plans.planStatus(db(), req.actor!, req.params.id, req.query, todayInVietnam()),
  );
  app.post(
    '/api/plans/:id/tasks',
    { config: manage, schema: { tags, summary: 'Add a task (deadline a day or a month YYYY-MM, not before the plan’s date)', params: idParams, body: createTaskInput, response: { 201: taskSchema } } },
    async (req, reply) => reply.status(201).send(await plans.addTask(db(), req.actor!, req.params.id, req.body, todayInVietnam())),
  );
  app.get('/api/plans/:id/tasks.xlsx', { config: read, schema: { tags, summary: 'The task table (STT, Nội dung, Đơn vị chủ trì, Đơn vị phối hợp, Thời gian hoàn thành)', params: idParams } }, async (req, reply) => {
    const { buffer, fileName } = await exportTasks(db(), req.actor!, req.params.id, todayInVietnam(), req.lang);
    return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).send(buffer);
  });
  app.post(
    '/api/plans/:id/tasks.xlsx',
    { config: manage, schema: { tags, summary: 'Import a task table (multipart, field "file"): all rows or none; a missing column is named with its row', params: idParams, response: { 200: importReportSchema } } },
    async (req) => {
      if (!req.isMultipart()) throw validationError([plans.planField('file', 'file_empty')]);
      const part = await req.file({ limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
      if (!part) throw validationError([plans.planField('file', 'file_empty')]);
      return importTasks(db(), req.actor!, req.params.id, await part.toBuffer(), todayInVietnam(), req.lang);
    },
  );
  app.get('/api/plans/:id/report.pdf', { config: read, schema: { tags, summary: 'The plan status report as PDF under the national motto', params: idParams, querystring: statusQuery } }, async (req, reply) => {
    const { pdf, fileName } = await planReportPdf(db(), req.actor!, req.params.id, req.query, todayInVietnam(), req.lang);
    return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(pdf);
  });
  app.get('/api/plans/:id/report.xlsx', { config: read, schema: { tags, summary: 'The plan status report as a sheet', params: idParams, querystring: statusQuery } }, async (req, reply) => {
    const { buffer, fileName } = await planReportWorkbook(db(), req.actor!, req.params.id, req.query, todayInVietnam(), req.lang);
    return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).send(buffer);
  });

  app.get('/api/tasks/:id', { config: read, schema: { tags, summary: 'A task with its notes, files and sub-tasks per commune', params: idParams, response: { 200: taskDetailSchema } } }, async (req) =>
    plans.getTask(db(), req.actor!, req.params.id, todayInVietnam()),
  );
  app.patch('/api/tasks/:id', { config: manage, schema: { tags, summary: 'Change a task (status, deadline, ...); audited', params: idParams, body: updateTaskInput, response: { 200: taskSchema } } }, async (req) =>
    plans.updateTask(db(), req.actor!, req.params.id, req.body, todayInVietnam()),
  );
  app.delete('/api/tasks/:id', { config: manage, schema: { tags, summary: 'Delete a task (and its sub-tasks)', params: idParams } }, async (req, reply) => {
    await plans.deleteTask(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.post('/api/tasks/:id/notes', { config: manage, schema: { tags, summary: 'Add a progress note', params: idParams, body: noteInput, response: { 201: taskDetailSchema } } }, async (req, reply) =>
    reply.status(201).send(await plans.addNote(db(), req.actor!, req.params.id, req.body, todayInVietnam())),
  );
  app.post(
    '/api/tasks/:id/split',
    { config: manage, schema: { tags, summary: 'Split a provincial task into sub-tasks of the commune plans', params: idParams, body: splitTaskInput, response: { 200: taskDetailSchema } } },
    async (req) => plans.splitTask(db(), req.actor!, req.params.id, req.body, todayInVietnam(), req.lang),
  );
  app.post(
    '/api/tasks/:id/files',
    { config: manage, schema: { tags, summary: 'Upload an evidence file: multipart, file "file" (JPEG, PNG or PDF, at most 10 MB, the type read from its bytes)', params: idParams, response: { 201: taskDetailSchema } } },
    async (req, reply) => {
      if (!req.isMultipart()) throw validationError([plans.planField('file', 'file_empty')]);
      const { file } = await readEvidenceForm(req, 'file', [], plans.TASK_EVIDENCE);
      return reply.status(201).send(await plans.attachFile(db(), req.actor!, req.params.id, file, todayInVietnam()));
    },
  );
  app.get('/api/tasks/:id/files/:fileId', { config: read, schema: { tags, summary: 'An evidence file of a task', params: fileParams } }, async (req, reply) => {
    const file = await plans.fileOf(db(), req.actor!, req.params.id, req.params.fileId);
    return sendEvidence(reply, file);
  });
  app.delete('/api/tasks/:id/files/:fileId', { config: manage, schema: { tags, summary: 'Remove an evidence file', params: fileParams, response: { 200: taskDetailSchema } } }, async (req) =>
    plans.removeFile(db(), req.actor!, req.params.id, req.params.fileId, todayInVietnam()),
  );
};
