export * from './cell-key';
export * from './settings';
