export * from './roles';
export * from './password';
export * from './api';
export * from './idcard';
export * from './member';
export * from './org';
export * from './meeting';
export * from './dues';
