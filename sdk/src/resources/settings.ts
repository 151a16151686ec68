// client.settings: text-back templates, business and quiet hours, SLA (settings:read /
// settings:write), and the tracking lines (settings:read).
import {
  SettingsDocument,
  TrackingLinesDocument,
  UpdateSettingsDocument,
  type SettingsFieldsFragment,
  type TrackingLinesQuery,
  type UpdateSettingsInput,
} from '../generated/graphql.js';
import type { RequestOptions, Transport } from '../transport.js';

export type Settings = SettingsFieldsFragment;
export type TrackingLine = TrackingLinesQuery['trackingLines'][number];
export type { UpdateSettingsInput };

export class SettingsResource {
  constructor(private readonly transport: Transport) {}

  /** The organization's settings, with rendered template previews. Needs `settings:read`. */
  async get(options?: RequestOptions): Promise<Settings> {
    return (await this.transport.request(SettingsDocument, {}, options)).settings;
  }

  /**
   * Changes the given settings; omitted fields keep their value. Invalid fields
   * reject with a ValidationError naming them, and nothing is stored. Needs `settings:write`.
   */
  async update(input: UpdateSettingsInput, options?: RequestOptions): Promise<Settings> {
    return (await this.transport.request(UpdateSettingsDocument, { input }, options)).updateSettings;
  }

  /** The organization's tracking numbers and where they forward, oldest first. Needs `settings:read`. */
  async trackingLines(options?: RequestOptions): Promise<TrackingLine[]> {
    return (await this.transport.request(TrackingLinesDocument, {}, options)).trackingLines;
  }
}
