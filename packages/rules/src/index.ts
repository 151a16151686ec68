// Pure product rules shared by the server and the dashboard: no I/O; one dependency (libphonenumber-js).
export * from './phone';
export * from './scopes';
export * from './templates';
