// The catalog aggregate: saving/loading versions, seeding, and the region rule.
export * from './store.js';
export * from './regions.js';
export * from './seed.js';
