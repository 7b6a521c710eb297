// One file per aggregate; this index is what drizzle and the client see.
export * from './messages.js';
export * from './outbox.js';
export * from './groups.js';
export * from './catalog.js';
export * from './qa.js';
export * from './kf.js';
