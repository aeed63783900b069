import path from 'node:path';
import { PROJECT_ROOT } from '../config';

export const TEST_CACHE = path.join(PROJECT_ROOT, '.test-cache');
export const MIGRATED_DUMP = path.join(TEST_CACHE, 'pglite-migrated.tar');
