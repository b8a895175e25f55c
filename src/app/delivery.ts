// Transitional: the delivery modules live in app/delivery/; import './delivery/index.js'. Kept so
// branches written against the old path still build; remove once nothing imports it.
export * from './delivery/index.js';
