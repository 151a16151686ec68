// Pure product rules shared by the server and the dashboard: no I/O; libphonenumber-js and sms-segments-calculator as dependencies.
export * from './phone';
export * from './scopes';
export * from './templates';
