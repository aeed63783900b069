/**
 * Reading a multipart form with one evidence file (and a few text fields) from a request: the file is cut
 * off at the policy's size limit (an error naming the field, not a buffer of any size), an unknown field is
 * refused. The file's type is checked afterwards, from its bytes (src/io/evidence.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../errors';
import { megabytes, type EvidenceFile, type EvidencePolicy } from '../io/evidence';
import { attachment } from './attachment';

export interface EvidenceForm {
  /** The text fields given ('' becomes null). */
  fields: Record<string, string | null>;
  file?: EvidenceFile;
}

export async function readEvidenceForm(req: FastifyRequest, fileField: string, textFields: readonly string[], policy: EvidencePolicy): Promise<EvidenceForm> {
  const fields: Record<string, string | null> = {};
  let file: EvidenceFile | undefined;
  const tooLarge = () => validationError([policy.error('too_large', { max: megabytes(policy.maxBytes) })]);
  for await (const part of req.parts({ limits: { fileSize: policy.maxBytes, files: 1, fields: Math.max(10, textFields.length) } })) {
    if (part.type === 'file') {
      if (part.fieldname !== fileField) {
        part.file.resume();
        throw new AppError('validation', {}, [{ path: part.fieldname, key: 'unknown_field' }]);
      }
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw e;
      }
      if (part.file.truncated) throw tooLarge();
      if (data.length > 0) file = { name: part.filename, type: part.mimetype, data };
    } else if (textFields.includes(part.fieldname)) {
      const value = String(part.value ?? '');
      fields[part.fieldname] = value.trim() === '' ? null : value;
    } else {
      throw new AppError('validation', {}, [{ path: part.fieldname, key: 'unknown_field' }]);
    }
  }
  return { fields, file };
}

/**
 * Sends a stored evidence file: as a download under its own name, with the type it was checked to be, never
 * sniffed by the browser as something else, and not kept in shared caches (it may show a person).
 */
export function sendEvidence(reply: FastifyReply, file: { name: string; type: string; data: Buffer | Uint8Array }) {
  return reply
    .header('content-type', file.type)
    .header('content-disposition', attachment(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.data);
}

