// Pure product rules shared by the server and the dashboard: no I/O, no dependencies.
export * from './scopes';
export * from './templates';
