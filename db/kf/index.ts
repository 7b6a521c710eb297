// The 微信客服 aggregate: sync cursors and the message log, resident state, servicers, links, failures.
export * from './sync.js';
export * from './residents.js';
