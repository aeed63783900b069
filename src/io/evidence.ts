/**
 * Evidence files (photos, scans) uploaded by staff: the type is worked out from the file's first bytes,
 * never taken from what the client claims; the size is limited; the name made safe for a download header.
 * Used by the handover results of donation programmes and the outreach events (each with its own limit,
 * types and error messages).
 */
import path from 'node:path';
import { validationError, type FieldError } from '../errors';

export type EvidenceType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export interface EvidenceFile {
  name: string;
  /** What the client said it is; the stored type comes from the bytes. */
  type?: string;
  data: Buffer;
}

export interface CheckedEvidence {
  name: string;
  type: EvidenceType;
  data: Buffer;
}

/** What a feature accepts, and how it names what is wrong. */
export interface EvidencePolicy {
  maxBytes: number;
  types: readonly EvidenceType[];
  /** The field error for an empty file, one too large (params.max, e.g. '10 MB'), or one of another type (params.types). */
  error: (reason: 'empty' | 'too_large' | 'type', params: Record<string, unknown>) => FieldError;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type of a file from its first bytes: photos (JPEG, PNG, WebP) and scans (PDF); undefined for anything else. */
export function sniffEvidenceType(data: Buffer): EvidenceType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG)) return 'image/png';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

/** A safe file name: the base name, printable, at most 200 characters ('evidence.<ext>' when nothing is left). */
export function evidenceFileName(name: string, type: EvidenceType): string {
  const printable = Array.from(path.basename(name.replace(/\\/g, '/')).normalize('NFC'), (ch) => (ch.charCodeAt(0) < 32 || '"<>|*?:'.includes(ch) ? '_' : ch)).join('');
  const base = printable.trim().slice(0, 200);
  if (base) return base;
  return `evidence.${type === 'application/pdf' ? 'pdf' : type.split('/')[1]}`;
}

/** The size limit as people read it ('10 MB'). */
export const megabytes = (bytes: number) => `${bytes / 1024 / 1024} MB`;

/** Checks a file against the policy (AppError 'validation' naming the field) and returns it with its real type and a safe name. */
export function checkEvidence(file: EvidenceFile, policy: EvidencePolicy): CheckedEvidence {
  if (file.data.length === 0) throw validationError([policy.error('empty', {})]);
  if (file.data.length > policy.maxBytes) throw validationError([policy.error('too_large', { max: megabytes(policy.maxBytes) })]);
  const type = sniffEvidenceType(file.data);
  if (!type || !policy.types.includes(type)) throw validationError([policy.error('type', { types: policy.types.map(typeLabel).join(', ') })]);
  return { name: evidenceFileName(file.name, type), type, data: file.data };
}

const typeLabel = (type: EvidenceType) => (type === 'application/pdf' ? 'PDF' : type.split('/')[1].toUpperCase());
