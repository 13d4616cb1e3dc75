// Saved test events, kept as Lambda's console keeps shareable ones: registry lambda-testevent-schemas, schema
// _{function}-schema, an OpenApi3 document whose components.examples are the events ({ name: { value } }).
import { schemas } from './api.js';

export const REGISTRY = 'lambda-testevent-schemas';
const schemaName = (fn) => `_${fn}-schema`;

/** { name: event } of a function; empty when it has none. */
export async function loadEvents(fn) {
  try {
    const schema = await schemas.describeSchema(REGISTRY, schemaName(fn));
    const examples = JSON.parse(schema.Content)?.components?.examples ?? {};
    return Object.fromEntries(Object.entries(examples).map(([name, example]) => [name, example.value]));
  } catch (error) {
    if (error.code === 'NotFoundException') return {};
    throw error;
  }
}

/** Writes a function's events (the whole set, as the console does), making the registry and schema when missing. */
export async function saveEvents(fn, events) {
  const content = JSON.stringify({
    openapi: '3.0.0',
    info: { version: '1.0.0', title: 'Event' },
    paths: {},
    components: {
      schemas: { Event: { type: 'object' } },
      examples: Object.fromEntries(Object.entries(events).map(([name, value]) => [name, { value }])),
    },
  });
  if (Object.keys(events).length === 0) {
    try { await schemas.deleteSchema(REGISTRY, schemaName(fn)); } catch (error) { if (error.code !== 'NotFoundException') throw error; }
    return;
  }
  try {
    await schemas.updateSchema(REGISTRY, schemaName(fn), content);
  } catch (error) {
    if (error.code !== 'NotFoundException') throw error;
    try { await schemas.describeRegistry(REGISTRY); } catch (missing) {
      if (missing.code !== 'NotFoundException') throw missing;
      await schemas.createRegistry(REGISTRY);
    }
    await schemas.createSchema(REGISTRY, schemaName(fn), content);
  }
}
