/**
 * The backup file, one format for both engines (docs/decisions.md, "One backup file for both engines"):
 *
 *   "COVERDESK BACKUP\n" | header length (uint32, big-endian) | header (JSON) | payload | [GCM tag, 16 bytes] | SHA-256 (32 bytes)
 *
 * The header says what the snapshot is (engine, last migration, release, time) and carries its
 * databaseFacts, so a restore proves itself. The payload is the embedded database's data directory
 * (a gzipped tarball) or `pg_dump -Fc` of the server's schema. With a passphrase the payload is encrypted
 * with AES-256-GCM (the header as additional authenticated data), the key derived by scrypt; the header
 * keeps the salt, the nonce and a check value that tells a wrong passphrase from a damaged file. The last
 * 32 bytes are the SHA-256 of everything before them: a damaged or truncated file is found without the
 * passphrase, and before anything is restored.
 */
import fs from 'node:fs';
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../../errors';
import type { Engine } from '../../db/connect';
import type { DatabaseFacts } from './database-facts.repository';

const MAGIC = Buffer.from('COVERDESK BACKUP\n', 'latin1');
/** The format this release writes and the newest it reads. */
export const BACKUP_FORMAT = 1;
const HASH_BYTES = 32;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** scrypt cost: 2^15 x 8 x 128 bytes = 32 MiB of memory and about 0.1 s per derivation. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;

export type PayloadKind = 'pglite-datadir.tar.gz' | 'pg_dump-custom';

export interface BackupHeader {
  format: number;
  /** The coverdesk release that made it (package.json version). */
  app: string;
  engine: Engine;
  payload: PayloadKind;
  /** PostgreSQL: the schema dumped. */
  schema: string | null;
  /** The snapshot's last migration: a release that does not know it is older than the backup. */
  migration: string | null;
  createdAt: string;
  facts: DatabaseFacts;
  encryption?: { cipher: 'aes-256-gcm'; kdf: 'scrypt'; N: number; r: number; p: number; salt: string; iv: string; check: string };
}

function refused(key: string, params: Record<string, unknown> = {}): AppError {
  return new AppError('validation', {}, [{ path: 'file', key, params: { ns: 'operations', ...params } }]);
}

async function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<{ key: Buffer; check: Buffer }> {
  const out = await new Promise<Buffer>((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 64, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
  return { key: out.subarray(0, 32), check: createHash('sha256').update(out.subarray(32)).digest() };
}

async function write(sink: Writable, chunk: Buffer): Promise<void> {
  if (chunk.length === 0) return;
  // an error between writes (disk full, the client gone) is seen here
  if (sink.destroyed || sink.errored) throw sink.errored ?? new Error('the backup stream was closed');
  if (sink.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (e?: Error) => {
      sink.off('drain', onDrain);
      sink.off('error', done);
      if (e) reject(e);
      else resolve();
    };
    const onDrain = () => done();
    sink.on('drain', onDrain);
    sink.on('error', done);
  });
}

/**
 * Writes a whole backup to `sink` (not ended), streaming the payload through the cipher; returns the
 * bytes written.
 */
export async function writeBackup(sink: Writable, header: Omit<BackupHeader, 'format' | 'encryption'>, payload: AsyncIterable<Buffer | Uint8Array>, passphrase?: string): Promise<number> {
  let cipher: CipherGCM | undefined;
  const full: BackupHeader = { format: BACKUP_FORMAT, ...header };
  let key: Buffer | undefined;
  if (passphrase) {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const derived = await deriveKey(passphrase, salt, SCRYPT);
    key = derived.key;
    full.encryption = { cipher: 'aes-256-gcm', kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), iv: iv.toString('base64'), check: derived.check.toString('base64') };
    cipher = createCipheriv('aes-256-gcm', key, iv);
  }
  const headerBytes = Buffer.from(JSON.stringify(full), 'utf8');
  cipher?.setAAD(headerBytes);
  const hash = createHash('sha256');
  let size = 0;
  const put = async (b: Buffer) => {
    hash.update(b);
    size += b.length;
    await write(sink, b);
  };
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  await put(Buffer.concat([MAGIC, length, headerBytes]));
  for await (const chunk of payload) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    await put(cipher ? cipher.update(b) : b);
  }
  if (cipher) {
    await put(cipher.final());
    await put(cipher.getAuthTag());
  }
  const digest = hash.digest();
  size += digest.length;
  await write(sink, digest);
  return size;
}

/** Writes a backup to `file` through `file.partial` (mode 600), renamed when complete; returns its size. */
export async function writeBackupFile(file: string, header: Omit<BackupHeader, 'format' | 'encryption'>, payload: AsyncIterable<Buffer | Uint8Array>, passphrase?: string): Promise<number> {
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  // errors are read from out.errored (write), once and finished; this keeps one between writes from
  // being an uncaught exception
  out.on('error', () => undefined);
  try {
    await once(out, 'open');
    const size = await writeBackup(out, header, payload, passphrase);
    out.end();
    await finished(out);
    fs.renameSync(partial, file);
    return size;
  } catch (e) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

export interface OpenedBackup {
  file: string;
  header: BackupHeader;
  headerBytes: Buffer;
  payloadStart: number;
  /** Exclusive end of the (possibly encrypted) payload. */
  payloadEnd: number;
  key?: Buffer;
  tag?: Buffer;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = fs.readSync(fd, b, 0, length, position);
  return b.subarray(0, n);
}

/** Reads and checks the header (magic, length, JSON); refuses what is not a coverdesk backup. */
export function readBackupHeader(file: string): OpenedBackup {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw refused('backup_unreadable', { file });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = readAt(fd, 0, MAGIC.length + 4);
    if (start.length < MAGIC.length || !start.subarray(0, MAGIC.length).equals(MAGIC)) throw refused('backup_not_a_backup', { file });
    if (start.length < MAGIC.length + 4) throw refused('backup_damaged', { file });
    const length = start.readUInt32BE(MAGIC.length);
    const payloadStart = MAGIC.length + 4 + length;
    if (length > MAX_HEADER_BYTES || payloadStart + HASH_BYTES > size) throw refused('backup_damaged', { file });
    const headerBytes = readAt(fd, MAGIC.length + 4, length);
    let header: BackupHeader;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as BackupHeader;
    } catch {
      throw refused('backup_damaged', { file });
    }
    if (typeof header.format !== 'number' || !header.facts) throw refused('backup_damaged', { file });
    if (header.format > BACKUP_FORMAT) throw refused('backup_newer_format', { file, format: header.format, app: header.app });
    const payloadEnd = size - HASH_BYTES - (header.encryption ? TAG_BYTES : 0);
    if (payloadEnd <= payloadStart) throw refused('backup_damaged', { file });
    const tag = header.encryption ? readAt(fd, payloadEnd, TAG_BYTES) : undefined;
    return { file, header, headerBytes, payloadStart, payloadEnd, tag };
  } finally {
    fs.closeSync(fd);
  }
}

async function drain(stream: Readable, each: (b: Buffer) => void): Promise<void> {
  for await (const chunk of stream) each(chunk as Buffer);
}

/**
 * Everything a restore checks before it writes anything: the file is a backup, whole (its SHA-256), not
 * from a newer release (its last migration is one this release knows), and, when encrypted, opened with
 * the right passphrase and authentic (a full decryption pass checks the GCM tag).
 */
export async function verifyBackupFile(file: string, options: { passphrase?: string; knownMigrations: readonly string[] }): Promise<OpenedBackup> {
  const opened = readBackupHeader(file);
  const size = fs.statSync(file).size;
  const hash = createHash('sha256');
  await drain(fs.createReadStream(file, { start: 0, end: size - HASH_BYTES - 1 }), (b) => hash.update(b));
  const stored = readAtFile(file, size - HASH_BYTES, HASH_BYTES);
  if (!timingSafeEqual(hash.digest(), stored)) throw refused('backup_damaged', { file });
  const { header } = opened;
  if (header.migration && !options.knownMigrations.includes(header.migration))
    throw refused('backup_newer_release', { file, migration: header.migration, app: header.app, known: options.knownMigrations.at(-1) ?? '' });
  const enc = header.encryption;
  if (enc) {
    if (!options.passphrase) throw refused('backup_passphrase_required', { file });
    const { key, check } = await deriveKey(options.passphrase, Buffer.from(enc.salt, 'base64'), enc);
    const expected = Buffer.from(enc.check, 'base64');
    if (expected.length !== check.length || !timingSafeEqual(expected, check)) throw refused('backup_wrong_passphrase', { file });
    opened.key = key;
    try {
      await drain(payloadStream(opened), () => undefined);
    } catch {
      throw refused('backup_damaged', { file });
    }
  }
  return opened;
}

function readAtFile(file: string, position: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    return readAt(fd, position, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** The payload as it was before encryption (the GCM tag is checked at its end). */
export function payloadStream(opened: OpenedBackup): Readable {
  const raw = fs.createReadStream(opened.file, { start: opened.payloadStart, end: opened.payloadEnd - 1 });
  const enc = opened.header.encryption;
  if (!enc) return raw;
  if (!opened.key) throw new Error('the backup is encrypted: verify it with its passphrase first');
  const decipher = createDecipheriv('aes-256-gcm', opened.key, Buffer.from(enc.iv, 'base64')) as DecipherGCM;
  decipher.setAAD(opened.headerBytes);
  decipher.setAuthTag(opened.tag!);
  raw.on('error', (e) => decipher.destroy(e));
  return raw.pipe(decipher);
}

