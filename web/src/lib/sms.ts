// Live template preview in the browser. The rendering and segment rules are the
// server's own module (one definition; the server's answer after saving is the
// authority), bundled here so typing shows the result without a round trip.
export {
  countSegments,
  renderTemplate,
  previewTemplate,
  templateProblem,
  EMPTY_VARIABLE_RULE,
  PREVIEW_VALUES,
  MAX_TEMPLATE_LENGTH,
  type SegmentCount,
} from '../../../server/src/settings/templates';
