export * from './roles';
export * from './password';
export * from './api';
