/**
 * The committed schema.d.ts must be what the server's routes make today: a changed route is then seen
 * by tsc in the web code that calls it (CI's typecheck), instead of at run time.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchemaTypes, SCHEMA_FILE } from '../../../scripts/openapi-types';

describe('web/src/api/schema.d.ts', () => {
  it("matches the server's OpenAPI document", async () => {
    const expected = await generateSchemaTypes();
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== expected) {
      expect.fail('web/src/api/schema.d.ts is out of date with the server\'s routes: run `npm run gen:api` and commit the result');
    }
  });
});
