// Text-back templates: rendering, validation and SMS segment counting live in the shared
// rules package (packages/rules), so the dashboard's live preview is the same code.
export * from '@callsnare/rules/templates';
