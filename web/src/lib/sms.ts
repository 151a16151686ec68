// Live template preview in the browser. The rendering and segment rules come from the
// shared rules package the server renders text-backs with (one definition; the
// server's answer after saving is the authority), so typing needs no round trip.
export {
  countSegments,
  renderTemplate,
  previewTemplate,
  templateProblem,
  EMPTY_VARIABLE_RULE,
  PREVIEW_VALUES,
  MAX_TEMPLATE_LENGTH,
  type SegmentCount,
} from '@callsnare/rules';
